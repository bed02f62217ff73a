"""Shoppers' uploads delivered to MomaPIX (UPLOAD_PROVIDER=momapix): a multipart POST /rest/item into
the private section, never twice; a curator's publication makes it appear in the product's gallery."""
import requests

from tests.support import sandboxes
from tests.support.app import make_app
from tests.support.processes import wait_for
from tests.support.workers import Workers, killed_mid_step
from tests.uploads.conftest import GENEROUS, run_worker, submit

PRODUCT = "acme-anvil-50lb"


def app_for(momapix, redis_url, **overrides):
    return make_app(redis_url, momapix, sandbox_mode=False, **{
        "GALLERY_PROVIDERS": ["momapix"], "UPLOAD_PROVIDER": "momapix", "UPLOAD_RETRY_DELAYS": [1, 1, 1, 1, 1],
        **{name: GENEROUS for name in ("UPLOAD_LIMITS_PER_IP", "UPLOAD_LIMITS_PER_EMAIL")}, **overrides})


def uploaded(momapix):
    """Items our uploads created: private items that carry a reference."""
    return [m for m in sandboxes.moderation(momapix) if m["attributes"].get("reference")]


def test_an_upload_becomes_one_private_item_with_our_reference(momapix, redis_url):
    app = app_for(momapix, redis_url)
    upload = submit(app.test_client(), caption="My anvil <b>rocks</b>", name="Jane").get_json()["upload"]
    record = run_worker(app, [upload["id"]])[upload["id"]]
    assert record["status"] == "submitted"
    (item,) = uploaded(momapix)
    attrs = item["attributes"]
    assert str(item["id"]) == record["media_id"]
    assert (attrs["section"], attrs["caption"], attrs["byline"], attrs["product_code"]) == \
        ("private", "My anvil <b>rocks</b>", "Jane", PRODUCT)
    assert attrs["reference"] and "jane@example.com" not in str(item)  # the email never leaves us
    gallery = app.test_client().get(f"/api/v1/products/{PRODUCT}/media", query_string={"limit": 100}).json
    assert f"mpx-{item['id']}" not in [m["id"] for m in gallery["media"]]  # private: not shown


def test_a_dropped_post_is_sent_again_once(momapix, redis_url):
    """No answer came (the connection dropped before MomaPIX stored anything): the retry looks for the
    item by our reference, finds none, and posts once more."""
    app = app_for(momapix, redis_url)
    sandboxes.fault(momapix, path_prefix="/rest/item", drop=True, count=1)
    upload = submit(app.test_client()).get_json()["upload"]
    assert run_worker(app, [upload["id"]])[upload["id"]]["status"] == "submitted"
    assert len(uploaded(momapix)) == 1
    posts = [e for e in sandboxes.requests_log(momapix, "/rest/item") if e["method"] == "POST"]
    assert [e["status"] for e in posts] == [None, 200]


def test_worker_killed_mid_upload_ends_with_exactly_one_private_item(momapix, redis_url):
    """SIGKILL the worker while its POST is in flight; MomaPIX still stores the item. A restarted worker
    finds the dead job (RQ's maintenance, once its heartbeat lapsed), runs it again, and the re-run finds
    the item by our reference instead of posting again."""
    app = app_for(momapix, redis_url, UPLOAD_RETRY_DELAYS=[0, 0])  # see tests/support/workers.py
    sandboxes.fault(momapix, path_prefix="/rest/item", latency=2, count=1)  # the POST is slow once
    upload = submit(app.test_client()).get_json()["upload"]
    workers = Workers(REDIS_URL=redis_url, GALLERY_PROVIDERS="momapix", UPLOAD_PROVIDER="momapix",
                      **sandboxes.credentials(momapix))
    try:
        record = killed_mid_step(workers, app.extensions["redis"], upload["id"], "posted")
    finally:
        workers.stop()
    assert record["status"] == "submitted"
    (item,) = uploaded(momapix)
    assert record["media_id"] == str(item["id"])
    assert len([e for e in sandboxes.requests_log(momapix, "/rest/item") if e["method"] == "POST"]) == 1


def test_publication_makes_it_appear(momapix, redis_url):
    """A curator publishes the item and adds it to the product's lightbox: once the product's answers
    expire (MOMAPIX_CACHE_SECONDS), the gallery shows it."""
    app = app_for(momapix, redis_url, MOMAPIX_CACHE_SECONDS=1, STALE_WHILE_REVALIDATE=0)
    client = app.test_client()
    upload = submit(client).get_json()["upload"]
    item_id = run_worker(app, [upload["id"]])[upload["id"]]["media_id"]
    path = f"/api/v1/products/{PRODUCT}/media"

    def shown():
        return f"mpx-{item_id}" in [m["id"] for m in client.get(path, query_string={"limit": 100}).json["media"]]

    assert not shown()
    requests.post(f"{momapix}/_sandbox/moderation/{item_id}/approve", timeout=10).raise_for_status()
    wait_for(shown, "the published upload in the gallery", 15)
    medium = client.get(f"/api/v1/media/mpx-{item_id}").json["media"]
    assert medium["provider"] == "momapix" and medium["type"] == "image"

"""The change feed: GET /notifications polled (one poller per interval for the deployment), turned into
the galleries to invalidate, through the registry so every process's memos forget them too."""
import requests

from gallery.media import feeds
from tests.support.app import make_app

from .conftest import add_assets

LOCK = "gallery:acquia_dam:notifications:poll"


def next_interval(r):
    r.delete(LOCK)


def test_a_notification_invalidates_the_gallery_whose_folder_changed(acquia, redis_url):
    app = make_app(redis_url, acquia, sandbox_mode=False, GALLERY_PROVIDERS=["acquia_dam"])
    client, registry, r = app.test_client(), app.extensions["registry"], app.extensions["redis"]
    path = "/api/v1/products/test-1-media/media"
    assert feeds.poll(registry) == []  # the first read only says where the feed stands
    before = [m["id"] for m in client.get(path).json["media"]]
    other = [m["id"] for m in client.get("/api/v1/products/test-50-media/media").json["media"]]
    (added,) = add_assets(acquia, "test-1-media", 1)
    assert [m["id"] for m in client.get(path).json["media"]] == before  # cached
    next_interval(r)
    assert feeds.poll(registry) == [("acquia_dam", "test-1-media")]
    assert [m["id"] for m in client.get(path).json["media"]] == [f"ad-{added}"] + before
    next_interval(r)
    assert feeds.poll(registry) == []  # nothing new
    assert [m["id"] for m in client.get("/api/v1/products/test-50-media/media").json["media"]] == other


def test_asset_edits_and_deletions_name_their_folder(acquia, make_source, ad_catalogue, rdb):
    feed = make_source().changes
    assert feed() == []
    token = requests.post(acquia + "/oauth2/token", timeout=10, data={
        "grant_type": "password", **{k: ad_catalogue["credentials"][f"ACQUIA_DAM_{v}"] for k, v in (
            ("client_id", "CLIENT_ID"), ("client_secret", "CLIENT_SECRET"), ("username", "USERNAME"),
            ("password", "PASSWORD"))}}).json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    folder = ad_catalogue["products"]["test-51-media"]["id"]
    assets = requests.get(f"{acquia}/folders/{folder}/assets", headers=bearer, params={"limit": 2}, timeout=10)
    first, second = (a["id"] for a in assets.json()["items"])
    requests.put(f"{acquia}/assets/{first}", headers=bearer, json={"status": "inactive"}, timeout=10)
    requests.delete(f"{acquia}/assets/{second}", headers=bearer, timeout=10)
    next_interval(rdb)
    assert feed() == ["test-51-media"]


def test_one_poll_per_interval_for_the_whole_deployment(acquia, make_source, rdb):
    first, second = make_source().changes, make_source().changes
    assert first() == []
    add_assets(acquia, "test-0-media", 1)
    assert second() == []  # within the interval: not this process's turn
    next_interval(rdb)
    assert second() == ["test-0-media"]
    assert len([e for e in requests.get(acquia + "/_sandbox/requests", timeout=10).json()["requests"]
                if e["path"] == "/notifications"]) == 2


def test_the_worker_process_polls_the_feed(acquia, redis_url):
    """`python -m gallery.worker` (the Procfile's worker) reads the feed on its own and invalidates."""
    import os

    from tests.support import sandboxes
    from tests.support.processes import start_python, stop, wait_for

    app = make_app(redis_url, acquia, sandbox_mode=False, GALLERY_PROVIDERS=["acquia_dam"])
    client, path = app.test_client(), "/api/v1/products/test-1-media/media"
    before = [m["id"] for m in client.get(path).json["media"]]
    env = {**os.environ, "REDIS_URL": redis_url, "GALLERY_PROVIDERS": "acquia_dam", "ACQUIA_DAM_CHANGES_SECONDS": "1",
           **{k: str(v) for k, v in sandboxes.credentials(acquia).items()}}
    worker = start_python("-m", "gallery.worker", env=env)
    try:
        wait_for(lambda: sandboxes.requests_log(acquia, "/notifications"), "the worker reading the feed", 30)
        (added,) = add_assets(acquia, "test-1-media", 1)
        wait_for(lambda: [m["id"] for m in client.get(path).json["media"]] == [f"ad-{added}"] + before,
                 "the gallery invalidated by the worker", 20)
    finally:
        stop(worker)

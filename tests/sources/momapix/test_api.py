"""The MomaPIX source through /api/v1: provider, prefixed ids, cursors across a lost session, 429s."""
import requests

from tests.support import sandboxes
from tests.support.app import make_app


def app_for(momapix, redis_url, **overrides):
    return make_app(redis_url, momapix, sandbox_mode=False, GALLERY_PROVIDERS=["momapix"], **overrides)


def test_walk_with_cursors_survives_a_session_ended_mid_walk(momapix, redis_url, mpx_catalogue):
    client = app_for(momapix, redis_url).test_client()
    path = "/api/v1/products/test-251-media/media"
    first = client.get(path, query_string={"limit": 100}).json
    requests.post(momapix + "/_sandbox/sessions/supersede", timeout=10)  # another client opened a session
    ids, cursor = [m["id"] for m in first["media"]], first["next"]
    while cursor:
        page = client.get(path, query_string={"limit": 100, "cursor": cursor})
        assert page.status_code == 200, page.json
        ids += [m["id"] for m in page.json["media"]]
        cursor = page.json["next"]
    assert len(ids) == len(set(ids)) == 251
    assert all(i.startswith("mpx-") for i in ids)
    assert [s["end_reason"] for s in sandboxes_sessions(momapix)] == ["superseded", None]


def sandboxes_sessions(momapix):
    return requests.get(momapix + "/_sandbox/sessions", timeout=10).json()["sessions"]


def test_fractional_ids_and_hidden_items_through_the_api(momapix, redis_url, mpx_catalogue):
    client = app_for(momapix, redis_url).test_client()
    media = client.get("/api/v1/products/acme-anvil-50lb/media", query_string={"limit": 100}).json["media"]
    ids = [m["id"] for m in media]
    assert "mpx-2241780.3" in ids and len(ids) == mpx_catalogue["products"]["acme-anvil-50lb"]["media"]
    assert not {f"mpx-{h}" for h in mpx_catalogue["hidden_media"]} & set(ids)
    one = client.get("/api/v1/media/mpx-2241780.3")
    assert one.status_code == 200 and one.json["media"]["provider"] == "momapix"
    for hidden in mpx_catalogue["hidden_media"][:3] + ["2241780.3.1", "..%2Frest%2Fsession"]:
        assert client.get(f"/api/v1/media/mpx-{hidden}").status_code == 404


def test_429_with_retry_after_answers_503_with_it(momapix, redis_url):
    client = app_for(momapix, redis_url).test_client()
    sandboxes.fault(momapix, path_prefix="/rest/lightbox", status=429, headers={"Retry-After": "7"})
    answer = client.get("/api/v1/products/acme-anvil-50lb/media")
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "7"
    assert answer.json["error"]["code"]


def test_unsupported_sorts_and_the_brand_listing_are_400(momapix, redis_url):
    client = app_for(momapix, redis_url).test_client()
    for sort in ("shuffled", "photorank", "rated"):
        answer = client.get("/api/v1/products/acme-anvil-50lb/media", query_string={"sort": sort})
        assert answer.status_code == 400 and answer.json["error"]["field"] == "sort"
    assert client.get("/api/v1/products/acme-anvil-50lb/media",
                      query_string={"sort": "media_position"}).status_code == 200
    brand = client.get("/api/v1/media")  # MomaPIX has no brand listing
    assert brand.status_code == 400 and brand.json["error"]["field"] == "providers"
    category = client.get("/api/v1/categories/test-1-media/media")  # a category is a lightbox too
    assert category.status_code == 200 and len(category.json["media"]) == 1

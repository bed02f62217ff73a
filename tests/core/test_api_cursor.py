"""Opaque cursors: complete walks, tampering, replay elsewhere, and upstream expiry."""
import base64
import json
from urllib.parse import urlsplit

import pytest
import requests

from gallery.api import cursor

MAX_PAGES = 200


def walk(client, path, **params):
    """Every medium of a collection, following `next` to the end; also the cursors seen."""
    ids, cursors, query = [], [], dict(params)
    for _ in range(MAX_PAGES):
        response = client.get(path, query_string=query)
        assert response.status_code == 200, response.json
        page = response.json
        assert len(page["media"]) <= params.get("limit", 20)
        ids += [m["id"] for m in page["media"]]
        if page["next"] is None:
            return ids, cursors
        assert page["media"], "a page before the end is never empty"
        cursors.append(page["next"])
        query = {**params, "cursor": page["next"]}
    raise AssertionError("the walk did not end")


@pytest.mark.parametrize("tag_key, limit", [
    ("test-520-media", 20), ("test-520-media", 100), ("test-51-media", 20), ("test-51-media", 100),
    ("test-50-media", 50), ("test-21-media", 20), ("test-1-media", 20),
])
def test_a_walk_yields_every_visible_medium_exactly_once(client, catalogue, tag_key, limit):
    ids, _ = walk(client, f"/api/v1/products/{tag_key}/media", limit=limit)
    assert len(ids) == len(set(ids)) == catalogue["streams"][tag_key]["media"]


@pytest.mark.parametrize("sort", ["shuffled", "photorank", "rated", "media_position"])
def test_walks_of_every_sort_are_complete(client, catalogue, sort):
    ids, _ = walk(client, "/api/v1/products/test-520-media/media", limit=100, sort=sort)
    assert len(ids) == len(set(ids)) == 520


def test_pages_are_full_until_the_last(client):
    sizes = []
    query = {"limit": 100}
    while True:
        page = client.get("/api/v1/products/test-520-media/media", query_string=query).json
        sizes.append(len(page["media"]))
        if not page["next"]:
            break
        query["cursor"] = page["next"]
    assert sizes == [100, 100, 100, 100, 100, 20]


def test_an_empty_gallery_is_one_empty_page(client):
    page = client.get("/api/v1/products/test-0-media/media").json
    assert page == {"media": [], "next": None, "partial": []}


def unpad(token):
    return token + "=" * (-len(token) % 4)


def test_cursors_reveal_no_upstream_url_path_or_key(client, app):
    _, cursors = walk(client, "/api/v1/products/test-520-media/media", limit=100)
    assert cursors
    for token in cursors:
        readable = base64.urlsafe_b64decode(unpad(token)) + token.encode()
        for word in (b"http", b"auth_token", b"/streams", b"page_key", b"recent"):
            assert word not in readable
        with app.app_context():  # inside, the upstream state, never with the key
            inside = cursor._cipher().decrypt(unpad(token))
        assert b"page_key" in inside and b"auth_token" not in inside


def first_cursor(client, path="/api/v1/products/test-520-media/media", **params):
    return client.get(path, query_string=params).json["next"]


def assert_invalid_cursor(response):
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_cursor"
    assert response.json["error"]["field"] == "cursor"


@pytest.mark.parametrize("mangle", [
    lambda c: c[:-1] + ("A" if c[-1] != "A" else "B"),  # signature altered
    lambda c: ("x" if c[0] != "x" else "y") + c[1:],  # payload altered
    lambda c: c + "x",
    lambda c: c[: len(c) // 2],
    lambda c: "garbage",
    lambda c: "." * 10,
])
def test_a_tampered_cursor_is_400(client, mangle):
    token = first_cursor(client)
    assert_invalid_cursor(client.get("/api/v1/products/test-520-media/media", query_string={"cursor": mangle(token)}))


def test_a_cursor_made_with_another_secret_is_400(client, app):
    token = first_cursor(client)
    with app.app_context():
        inside = cursor._cipher().decrypt(unpad(token))
    forged = cursor._fernet("not-our-secret").encrypt(inside).decode()
    assert_invalid_cursor(client.get("/api/v1/products/test-520-media/media", query_string={"cursor": forged}))


@pytest.mark.parametrize("elsewhere", [
    "/api/v1/products/test-51-media/media",  # another product
    "/api/v1/products/test-520-media/media?sort=photorank",  # another sort
    "/api/v1/products/test-520-media/media?limit=21",  # another page size
    "/api/v1/products/test-520-media/media?rights_given=1",  # another filter
    "/api/v1/media",  # the brand
    "/api/v1/categories/test-520-media/media",  # a category with the same key
])
def test_a_cursor_cannot_be_replayed_elsewhere(client, elsewhere):
    token = first_cursor(client)
    separator = "&" if "?" in elsewhere else "?"
    assert_invalid_cursor(client.get(f"{elsewhere}{separator}cursor={token}"))


def test_an_expired_upstream_pagination_is_410(client, sandbox, upstream_log):
    # limit=50 is one whole upstream page, so the cursor points at an upstream page not fetched yet:
    # nothing of ours can answer it but the upstream, whose pagination is gone after 43200 s.
    token = first_cursor(client, limit=50)
    requests.post(sandbox + "/_sandbox/clock", json={"advance": 43201}, timeout=10).raise_for_status()
    response = client.get("/api/v1/products/test-520-media/media", query_string={"limit": 50, "cursor": token})
    assert response.status_code == 410
    assert response.json["error"]["code"] == "cursor_expired"
    assert response.headers["Cache-Control"] == "no-store"
    assert "page_key" in upstream_log("/streams")[-1]["query"]  # the upstream was asked, and said no


def _old_cursor(app, tag_key, state, limit=20):
    """A cursor as the service minted it before it read the real API: the state's href is the next
    link's path and query verbatim (trailing slash kept), without the key."""
    with app.test_request_context():
        bound_to = cursor.binding("product", tag_key, {"sort": "recent", "filters": {}, "limit": limit})
        payload = json.dumps({"b": bound_to, "s": state}, separators=(",", ":")).encode()  # no provider yet
        return cursor._cipher().encrypt(payload).decode().rstrip("=")


def _upstream_page_two(sandbox, stream_id, trailing_slash):
    first = requests.get(f"{sandbox}/streams/{stream_id}/media/recent", timeout=10, params={
        "auth_token": "sandbox", "version": "v2.2", "wrap_responses": "1", "count": 20}).json()["data"]
    parts = urlsplit(first["_links"]["next"]["href"])
    query = "&".join(p for p in parts.query.split("&") if not p.startswith("auth_token="))
    second = requests.get(f"{sandbox}{parts.path}?{parts.query}", timeout=10).json()["data"]
    return f"{parts.path}{'/' if trailing_slash else ''}?{query}", [m["id"] for m in second["_embedded"]["media"]]


@pytest.mark.parametrize("trailing_slash", [False, True])
def test_cursors_minted_before_the_real_api_change_keep_working(app, client, sandbox, catalogue, trailing_slash):
    stream_id = catalogue["streams"]["test-51-media"]["id"]
    href, expected = _upstream_page_two(sandbox, stream_id, trailing_slash)
    old = _old_cursor(app, "test-51-media", {"href": href, "skip": 0})
    response = client.get("/api/v1/products/test-51-media/media", query_string={"cursor": old})
    assert response.status_code == 200, response.json
    assert [m["id"] for m in response.json["media"]] == expected


@pytest.mark.parametrize("state, status, code", [
    # An old page key the upstream has forgotten: the documented 410, never a 500.
    ({"href": "/streams/{sid}/media/recent?page_key=0123456789abcdef0123456789abcdef&page_number=2", "skip": 0},
     410, "cursor_expired"),
    ({"href": "//z1photorankapi-a.akamaihd.net/streams/{sid}/media/recent?page_number=2", "skip": 0},
     400, "invalid_cursor"),  # never minted with a host
    ({"href": "/streams/{sid}/media/photorank?page_number=2", "skip": 0}, 400, "invalid_cursor"),
    ({"href": "/streams/{sid}/media/recent", "skip": "0"}, 400, "invalid_cursor"),
    ({"next": "/streams/{sid}/media/recent"}, 400, "invalid_cursor"),
    (["/streams/{sid}/media/recent", 0], 400, "invalid_cursor"),
])
def test_old_cursors_that_cannot_work_fail_with_the_documented_code(app, client, catalogue, state, status, code):
    sid = catalogue["streams"]["test-51-media"]["id"]
    state = json.loads(json.dumps(state).replace("{sid}", sid))
    response = client.get("/api/v1/products/test-51-media/media",
                          query_string={"cursor": _old_cursor(app, "test-51-media", state)})
    assert (response.status_code, response.json["error"]["code"]) == (status, code)

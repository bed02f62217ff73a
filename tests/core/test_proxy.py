"""The /olapic HAL passthrough: rewritten links that work through the proxy, the allow-list, the key."""
from urllib.parse import parse_qs, urlsplit

import pytest

from gallery.sources.olapic.proxy import ALLOWED

MAX_PAGES = 50


def strings(node, key=None):
    """Every (key, string value) pair in a JSON document."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from strings(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from strings(v, key)
    elif isinstance(node, str):
        yield key, node


def local_path(href):
    """A rewritten href as a path for the test client: //localhost/olapic/x?y → /olapic/x?y."""
    parts = urlsplit(href)
    assert href.startswith("//localhost/olapic/") or href == "//localhost/olapic", href
    return parts.path + (f"?{parts.query}" if parts.query else "")


def assert_rewritten(response, sandbox):
    upstream_host = urlsplit(sandbox).netloc
    text = response.get_data(as_text=True)
    assert "auth_token" not in text
    for key, value in strings(response.json):
        if key == "href":
            local_path(value)
        elif upstream_host in value:
            # The sandbox serves image files (and its viewer page) on its API host; they need no key.
            # No API endpoint of the upstream may be named anywhere.
            assert not ALLOWED.fullmatch(urlsplit(value).path.strip("/")), (key, value)


def test_the_root_through_the_proxy(client, sandbox):
    response = client.get("/olapic/")
    assert response.status_code == 200
    customer = response.json["data"]["_embedded"]["customer"]  # the real API wraps it
    assert customer["id"] == "215815"
    assert_rewritten(response, sandbox)
    assert customer["_links"]["self"]["href"] == "//localhost/olapic/customers/215815"


def test_the_root_without_a_slash_answers_without_a_redirect(client):
    response = client.get("/olapic?version=v2.2")
    assert response.status_code == 200
    assert response.json["data"] == client.get("/olapic/").json["data"]


@pytest.mark.parametrize("path", [
    "/olapic/customers/215815/streams/bytag/acme-anvil-50lb", "/olapic/customers/215815/streams/bytag/acme-anvil-50lb/",
    "/olapic/streams/bytag/acme-anvil-50lb", "/olapic/streams/bytag/acme-anvil-50lb/",
])
def test_bytag_lookups_with_or_without_a_trailing_slash(client, sandbox, path):
    response = client.get(path)
    assert response.status_code == 200, response.json
    assert response.json["data"]["id"] == "2190252887"
    assert_rewritten(response, sandbox)


def test_errors_of_our_own_use_olapic_s_envelope(client, upstream_log):
    refused = client.get("/olapic/stashes")
    assert refused.status_code == 404
    assert refused.json["metadata"] == {"code": 404, "message": "Not Found", "version": "v2.2"}
    assert refused.json["data"]["code"] == "not_found" and refused.json["data"]["message"]
    wrapped = client.get("/olapic/stashes?wrap_responses=1")
    assert wrapped.status_code == 200 and wrapped.json["metadata"]["code"] == 404
    assert wrapped.headers["Cache-Control"] == "no-store"
    assert upstream_log() == []


def test_forms_are_rewritten_too(client, sandbox):
    response = client.get("/olapic/customers/215815")
    forms = response.json["data"]["_forms"]
    assert forms and all(local_path(form["action"]["href"]) for form in forms.values())
    assert_rewritten(response, sandbox)


def test_links_work_when_followed_through_the_proxy(client, sandbox, upstream_log):
    search = client.get("/olapic/customers/215815/streams/search?tag_key=test-51-media")
    assert search.status_code == 200
    assert_rewritten(search, sandbox)
    href = search.json["data"]["_embedded"]["media:recent"]["_links"]["self"]["href"]
    ids = []
    for _ in range(MAX_PAGES):
        page = client.get(local_path(href))
        assert page.status_code == 200
        assert_rewritten(page, sandbox)
        ids += [m["id"] for m in page.json["data"]["_embedded"]["media"]]
        href = page.json["data"]["_links"]["next"]["href"]
        if href is None:
            break
    assert len(ids) == len(set(ids)) == 51
    assert all(call["query"].get("auth_token") == "[redacted]" for call in upstream_log())


def test_a_client_sent_key_is_dropped(client, upstream_log):
    response = client.get("/olapic/media/3042079992?auth_token=not-the-key&version=v1")
    assert response.status_code == 200  # our key was used, not theirs (theirs would be a 401)
    assert [call["query"]["version"] for call in upstream_log()] == ["v2.2"]


def test_the_upstream_status_is_passed_through(client):
    missing = client.get("/olapic/media/1")
    assert missing.status_code == 404
    assert missing.json["metadata"]["code"] == 404
    assert missing.headers["Cache-Control"] == "no-store"
    assert client.get("/olapic/customers/215816").status_code == 403
    wrapped = client.get("/olapic/media/1?wrap_responses=1")
    assert wrapped.status_code == 200 and wrapped.json["metadata"]["code"] == 404


def test_the_proxy_shares_the_gallery_cache(client, upstream_log):
    assert client.get("/api/v1/products/acme-anvil-50lb").status_code == 200
    searches = len(upstream_log("/customers/215815/streams/search"))
    proxied = client.get("/olapic/customers/215815/streams/search?tag_key=acme-anvil-50lb")
    assert proxied.status_code == 200
    assert len(upstream_log("/customers/215815/streams/search")) == searches  # answered from the cache
    again = client.get("/olapic/streams/2190252887")
    assert client.get("/olapic/streams/2190252887").get_data() == again.get_data()
    assert len(upstream_log("/streams/2190252887")) == 1


def test_proxy_answers_have_our_caching_headers(client):
    response = client.get("/olapic/streams/2190252887")
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    again = client.get("/olapic/streams/2190252887", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("path", [
    "/olapic/_sandbox/requests", "/olapic/_sandbox/catalogue", "/olapic/unknown", "/olapic/streams",
    "/olapic/streams/abc", "/olapic/streams/1/media/best", "/olapic/media/1/reports", "/olapic/stashes",
    "/olapic/streams/bytag/..", "/olapic/customers/215815/streams/bytag/%2E%2E/%2E%2E/_sandbox/requests",
    "/olapic/users", "/olapic/http://example.com/streams/1", "/olapic//example.com/streams/1",
    "/olapic/https:/example.com/media/1", "/olapic/streams/1/../../_sandbox/requests",
    "/olapic/media/%2e%2e/_sandbox/requests", "/olapic/streams/1/%2E%2E/%2E%2E/_sandbox/requests",
    "/olapic/customers/215815/instagram_users/../../../_sandbox/requests",
    "/olapic/customers/215815/instagram_users/..", "/olapic/media/1%3Fx=1", "/olapic/media/1%23x",
    "/olapic/media/1/../../../etc/passwd", "/olapic/viewer/215815",
    "/olapic/media/8/w/d/8wd7rd4/square.jpg",
])
def test_nothing_outside_the_allow_list_is_forwarded(client, upstream_log, path):
    response = client.get(path, follow_redirects=True)  # "//" is merged by a redirect to our own path
    assert response.status_code == 404
    assert response.json["data"]["code"] == "not_found"
    assert upstream_log() == []


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_only_get_is_forwarded(client, upstream_log, method):
    if method != "post":  # a POST of the report form goes through our report flow (tests/uploads)
        response = getattr(client, method)("/olapic/media/3042079992/reports", data={"email": "a@b.c", "reason": "x"})
        assert response.status_code == 405
    for path in ("/olapic/media/3042079992", "/olapic/stashes", "/olapic/users"):
        response = getattr(client, method)(path)
        assert response.status_code == 405
    assert response.status_code == 405
    assert upstream_log() == []


def test_every_reference_read_endpoint_is_allowed(client, catalogue, upstream_log):
    c, stream, media = "215815", catalogue["streams"]["acme-anvil-50lb"]["id"], "3042079992"
    category = next(iter(catalogue["categories"].values()))
    user, handle = catalogue["users"]["instagram"]["id"], catalogue["users"]["instagram"]["handle"]
    paths = [
        "/", f"/customers/{c}", f"/customers/{c}/media/recent", f"/customers/{c}/streams",
        f"/customers/{c}/streams/search?tag_key=acme-anvil-50lb", f"/customers/{c}/categories",
        f"/customers/{c}/widgets", f"/customers/{c}/widgets/settings", f"/customers/{c}/instagram_users/{handle}",
        f"/customers/{c}/instagram_users/{handle}/media/recent", f"/media/{media}", f"/media/{media}/streams",
        f"/media/{media}/categories", f"/streams/{stream}", f"/streams/{stream}/media/media_position",
        "/streams/media/recent?tag_key=acme-anvil-50lb", f"/streams/{stream}/categories", f"/categories/{category}",
        f"/categories/{category}/media/photorank", f"/categories/{category}/streams", f"/users/{user}",
        f"/users/{user}/media/recent", f"/widgets/{catalogue['widget_instance']}",
        f"/widgets/settings/{catalogue['widget_style']}",
    ]
    for path in paths:
        response = client.get("/olapic" + path)
        assert response.status_code == 200, (path, response.json)
        assert "auth_token" not in response.get_data(as_text=True)
    forwarded = {call["path"] for call in upstream_log()}
    assert forwarded == {urlsplit(p).path for p in paths}


def test_links_carry_the_query_but_not_our_parameters(client):
    page = client.get("/olapic/streams/2190252887/media/recent?count=2").json["data"]
    query = parse_qs(urlsplit(page["_links"]["next"]["href"]).query)
    assert query["count"] == ["2"] and "page_key" in query
    assert not {"auth_token", "version", "wrap_responses"} & set(query)

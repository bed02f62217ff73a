"""Cache-Control and ETag: every 200 is cacheable, no error is."""
import re

import pytest

from .helpers import CUSTOMER_ID, OTHER_CUSTOMER_ID, WORKED_STREAM_ID, WORKED_TAG_KEY

DEFAULT_MAX_AGE = 600  # the conftest starts the sandbox without --max-age

OK_PATHS = [
    ("/", {}),
    (f"/customers/{CUSTOMER_ID}", {}),
    (f"/streams/{WORKED_STREAM_ID}", {}),
    (f"/streams/{WORKED_STREAM_ID}/media/recent", {}),
    (f"/customers/{CUSTOMER_ID}/media/shuffled", {}),
    (f"/customers/{CUSTOMER_ID}/streams/search", {"tag_key": WORKED_TAG_KEY}),
    ("/media/3042079992", {}),
    ("/media/3042079992/streams", {}),
    (f"/customers/{CUSTOMER_ID}/categories", {}),
]
ERRORS = [
    ("/", {"auth_token": "wrong"}, 401),
    ("/", {"version": "v9"}, 400),
    (f"/streams/{WORKED_STREAM_ID}/media/recent", {"count": "0"}, 400),
    (f"/customers/{OTHER_CUSTOMER_ID}", {}, 403),
    ("/streams/123", {}, 404),
    ("/no/such/path", {}, 404),
]


def max_age(resp):
    m = re.search(r"max-age=(\d+)", resp.headers.get("Cache-Control", ""))
    return int(m.group(1)) if m else None


@pytest.mark.parametrize("path, params", OK_PATHS)
def test_every_200_has_max_age_and_strong_etag(api, path, params):
    resp = api(path, **params)
    assert resp.status_code == 200
    assert max_age(resp) == DEFAULT_MAX_AGE
    etag = resp.headers["ETag"]
    assert re.fullmatch(r'"[^"]+"', etag), f"not a strong ETag: {etag}"


# paginated answers open a new random page_key each time, so only entities can be revalidated
ENTITY_PATHS = [p for p in OK_PATHS if not p[0].endswith(("/recent", "/shuffled", "/categories"))]


@pytest.mark.parametrize("path, params", ENTITY_PATHS)
def test_if_none_match_gives_304(api, path, params):
    first = api(path, **params)
    etag = first.headers["ETag"]
    again = api.get(path, headers={"If-None-Match": etag}, **params)
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers.get("ETag") == etag
    other = api.get(path, headers={"If-None-Match": '"not-the-etag"'}, **params)
    assert other.status_code == 200
    assert other.json() == first.json()


def test_etag_differs_between_resources(api):
    a = api(f"/streams/{WORKED_STREAM_ID}").headers["ETag"]
    b = api("/media/3042079992").headers["ETag"]
    assert a != b


@pytest.mark.parametrize("path, params, status", ERRORS)
def test_errors_are_not_cached(api, path, params, status):
    resp = api(path, **params)
    assert resp.status_code == status
    assert "no-store" in resp.headers.get("Cache-Control", "")
    assert max_age(resp) is None
    assert "ETag" not in resp.headers


@pytest.mark.parametrize("path, params, status", ERRORS)
def test_wrapped_errors_are_cached_like_200s(api, path, params, status):
    resp = api(path, wrap_responses=1, **params)
    assert resp.status_code == 200
    assert resp.json()["metadata"]["code"] == status
    assert max_age(resp) == DEFAULT_MAX_AGE


def test_custom_max_age(tmp_path):
    """--max-age sets the header (a second, short-lived sandbox process)."""
    import requests

    from tests.support import sandboxes

    with sandboxes.running("olapic", "--api-key", "other-key", "--max-age", "42") as base:
        resp = requests.get(base + "/", params={"auth_token": "other-key", "version": "v2.2"}, timeout=10)
        assert resp.status_code == 200
        assert max_age(resp) == 42
        assert resp.json()["data"]["_embedded"]["customer"]["id"] == CUSTOMER_ID
        assert requests.get(base + "/", params={"auth_token": "sandbox", "version": "v2.2"}, timeout=10).status_code == 401

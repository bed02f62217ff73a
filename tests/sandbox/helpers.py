"""Shared helpers for the sandbox conformance suite (imported by conftest and the test modules).

Every test talks to the sandbox over its real socket with plain `requests`; nothing here imports
`sandboxes.olapic`. The contract is docs/sandbox.md, the reference Olapic's Widget API v2.2.
"""
import io
import math
import re
from urllib.parse import parse_qs, urlsplit

import requests

from tests.support import sandboxes

KEY = "sandbox"
VERSION = "v2.2"
CUSTOMER_ID = "215815"
OTHER_CUSTOMER_ID = "215816"
WORKED_STREAM_ID = "2190252887"
WORKED_TAG_KEY = "acme-anvil-50lb"
SORTS = ["recent", "shuffled", "photorank", "rated"]
STREAM_SORTS = SORTS + ["media_position"]
FIXTURE_SIZES = [0, 1, 20, 21, 50, 51, 520]
TIMEOUT = 30
MAX_PAGES = 400

REASONS = {
    200: "OK",
    201: "Created",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
}

HEX32 = re.compile(r"^[0-9a-f]{32}$")


def fixture_key(n):
    return f"test-{n}-media"


def query_of(href):
    """The query string of an href as a flat dict (last value wins)."""
    return {k: v[-1] for k, v in parse_qs(urlsplit(href).query, keep_blank_values=True).items()}


def path_of(href):
    return urlsplit(href).path


def absolute(href):
    """Links are protocol-relative (`//host/...`): the client adds the scheme."""
    assert href.startswith("//"), href
    return "http:" + href


def media_ids(data):
    return [m["id"] for m in data["_embedded"]["media"] or []]  # the real API's empty page is null


def root_customer(data):
    """The customer in a root answer: the real API wraps it in _embedded.customer."""
    assert set(data) == {"_links", "_fixed", "_embedded"}, sorted(data)
    return data["_embedded"]["customer"]


def assert_envelope(resp, status=200):
    assert resp.status_code == status, f"{resp.request.method} {resp.url} -> {resp.status_code}: {resp.text[:600]}"
    body = resp.json()
    assert body["metadata"] == {"code": status, "message": REASONS[status], "version": VERSION}
    return body


def assert_error(resp, status, message):
    """A non-wrapped error: real status, the envelope, the exact text, never cached."""
    body = assert_envelope(resp, status)
    assert body["data"]["message"] == message
    cache_control = resp.headers.get("Cache-Control", "")
    assert "no-store" in cache_control
    assert "max-age" not in cache_control
    assert "ETag" not in resp.headers
    return body


def make_image(size=(400, 300), colour=(255, 0, 128), fmt="JPEG"):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, fmt, quality=95)
    return buf.getvalue()


class Api:
    """A thin client: `api(path, **params)` GETs an Olapic path with the key and version added.

    Pass a parameter as None to leave it out (e.g. `api("/", auth_token=None)`).
    """

    def __init__(self, base):
        self.base = base
        self.host = urlsplit(base).netloc
        self.session = requests.Session()

    # -- plain requests ------------------------------------------------------------------------
    def _params(self, params):
        q = {"auth_token": KEY, "version": VERSION}
        q.update(params)
        return {k: v for k, v in q.items() if v is not None}

    def __call__(self, path, **params):
        return self.get(path, **params)

    def get(self, path, headers=None, **params):
        return self.session.get(self.base + path, params=self._params(params), headers=headers, timeout=TIMEOUT)

    def raw(self, path_and_query, **kw):
        """GET exactly this path and query string (no key/version added)."""
        return self.session.get(self.base + path_and_query, timeout=TIMEOUT, **kw)

    def post(self, path, data=None, files=None, **params):
        return self.session.post(
            self.base + path, params=self._params(params), data=data, files=files, timeout=TIMEOUT
        )

    def follow(self, href, **kw):
        return self.session.get(absolute(href), timeout=TIMEOUT, **kw)

    # -- checked requests ----------------------------------------------------------------------
    def ok(self, path, **params):
        """GET and return `data`, asserting a 200 in the v2.2 envelope."""
        return assert_envelope(self.get(path, **params))["data"]

    def ok_href(self, href):
        return assert_envelope(self.follow(href))["data"]

    def walk(self, path, max_pages=MAX_PAGES, limit=None, **params):
        """All pages of a collection, following `_links.next.href` from the first page
        (only the first `limit` pages if given)."""
        pages = [self.ok(path, **params)]
        while True:
            nxt = pages[-1]["_links"]["next"]["href"]
            if nxt is None or (limit is not None and len(pages) >= limit):
                return pages
            assert len(pages) < max_pages, f"more than {max_pages} pages walking {path}"
            pages.append(self.ok_href(nxt))

    def walk_ids(self, path, key="media", **params):
        return [item["id"] for item in self.walk_items(path, key, **params)]

    def walk_items(self, path, key="media", **params):
        return [item for page in self.walk(path, **params) for item in page["_embedded"][key] or []]

    # -- operator endpoints --------------------------------------------------------------------
    def op(self, method, path, **kw):
        return sandboxes.op(method, self.base, path, session=self.session, **{"timeout": TIMEOUT, **kw})

    def advance(self, seconds):
        return self.op("POST", "/clock", json={"advance": seconds}).json()

    def now(self):
        return self.op("GET", "/clock").json()

    def fault(self, **spec):
        return self.op("POST", "/faults", json=spec)

    def approve(self, media_id):
        return self.op("POST", f"/moderation/{media_id}/approve")

    def reject(self, media_id):
        return self.op("POST", f"/moderation/{media_id}/reject")

    def moderation(self):
        return self.op("GET", "/moderation").json()["media"]

    # -- uploads -------------------------------------------------------------------------------
    def create_user(self, email="uploader@example.com", screen_name="Uploader"):
        resp = self.post(
            "/users",
            data={"email": email, "screen_name": screen_name, "avatar_url": "https://example.com/a.png"},
        )
        assert resp.status_code in (200, 201), resp.text[:500]
        return assert_envelope(resp, resp.status_code)["data"]

    def stash(self, content=None, filename="photo.jpg", mimetype="image/jpeg"):
        content = make_image() if content is None else content
        resp = self.post("/stashes", files={"file": (filename, content, mimetype)})
        return resp

    def upload(self, user_id=None, content=None, stream_id=None, caption="A test upload", via_stash=True, **extra):
        """Upload a medium (pending) and return its JSON. Uses a stash unless via_stash is False."""
        if user_id is None:
            user_id = self.create_user()["id"]
        content = make_image() if content is None else content
        data = {"caption": caption}
        if stream_id is not None:
            data["stream_uri"] = f"/streams/{stream_id}"
        data.update(extra)
        if via_stash:
            stash = assert_envelope(self.stash(content))["data"]
            data["url"] = f"/stashes/{stash['id']}"
            resp = self.post(f"/users/{user_id}/media", data=data)
        else:
            resp = self.post(f"/users/{user_id}/media", data=data, files={"file": ("photo.jpg", content, "image/jpeg")})
        return assert_envelope(resp)["data"]


def expected_pages(n, count):
    return max(1, math.ceil(n / count))


def split_template(template, ctx):
    """'/streams/{stream}/media/recent?tag_key={key}' + ctx -> (path, params)."""
    url = template.format(**ctx)
    path, _, query = url.partition("?")
    params = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
    return path, params


def check_hrefs(obj, host):
    """Every API link is protocol-relative on the request's host and carries auth_token and version;
    `_forms` actions carry no query string; image URLs are absolute on the same host."""
    count = 0
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "_links" and isinstance(v, dict):
                for rel, link in v.items():
                    for one in link if isinstance(link, list) else [link]:
                        href = one["href"]
                        if href is None:
                            assert rel in ("prev", "next"), f"{rel} link is null"
                            continue
                        assert href.startswith(f"//{host}/"), href
                        q = query_of(href)
                        assert q.get("auth_token") == KEY, href
                        assert q.get("version") == VERSION, href
                        count += 1
            elif k == "_forms" and isinstance(v, dict):
                for form in v.values():
                    href = form["action"]["href"]
                    assert href.startswith(f"//{host}/"), href
                    assert "?" not in href, href
                    count += 1
            elif k == "images" and isinstance(v, dict):
                for url in v.values():
                    assert url.startswith(f"http://{host}/media/"), url
            count += check_hrefs(v, host)
    elif isinstance(obj, list):
        for item in obj:
            count += check_hrefs(item, host)
    return count

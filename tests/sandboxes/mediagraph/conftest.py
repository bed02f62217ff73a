"""The Mediagraph sandbox conformance suite: one sandbox process on a real socket, reset when a test
may have changed it. Documents: "Mediagraph API Documentation" 1.1.0 (called 001 below) and its newer
edition (002, which wins), plus the paths of Mediagraph's public client (mediagraph-io/mediagraph-mcp)."""
import base64

import pytest
import requests

from tests.support import sandboxes

TOKEN = "mg-test-pat"
ORG = "100"
PROCESSING = 2


@pytest.fixture(scope="session")
def mg_url():
    with sandboxes.running("mediagraph", "--token", TOKEN, "--processing-seconds", str(PROCESSING),
                           "--url-ttl", "600") as url:
        yield url


class Mg:
    """`mg.get(path, **params)` with the PAT as Basic (empty user) and the OrganizationId header."""

    def __init__(self, base):
        self.base = base
        self.http = requests.Session()
        self.auth = {"Authorization": "Basic " + base64.b64encode(f":{TOKEN}".encode()).decode(),
                     "OrganizationId": ORG}

    def request(self, method, path, headers=None, auth=True, **kw):
        h = dict(self.auth) if auth else {}
        h.update(headers or {})
        h = {k: v for k, v in h.items() if v is not None}
        return self.http.request(method, self.base + path, headers=h, timeout=30, **kw)

    def get(self, path, headers=None, auth=True, **params):
        return self.request("GET", path, headers, auth, params=params)

    def ok(self, method, path, **kw):
        r = self.request(method, path, **kw)
        assert r.status_code == 200, f"{method} {path} -> {r.status_code}: {r.text[:400]}"
        return r.json()

    def search(self, **params):
        r = self.get("/api/assets/search", **params)
        assert r.status_code == 200, r.text[:400]
        return r

    def op(self, method, path, **kw):
        return sandboxes.op(method, self.base, path, session=self.http, **{"timeout": 30, **kw}).json()

    def advance(self, seconds):
        return self.op("POST", "/clock", json={"advance": seconds})


@pytest.fixture
def mg(mg_url):
    """Reset before each test (about 0.4 s): most tests here write."""
    client = Mg(sandboxes.reset(mg_url))
    yield client
    client.http.close()


@pytest.fixture
def cat(mg):
    return mg.op("GET", "/catalogue")

"""A thin MomaPIX client for the conformance suite: plain requests over the sandbox's socket."""
import io

import requests

from tests.support import sandboxes

MEDIA_TYPE = "application/vnd.api+json"
ACCEPT = "application/vnd.api+json; version=2.0"
API_KEY = "momapix-sandbox-apikey"
USERNAME, PASSWORD = "client1", "client1-sandbox-password"
TIMEOUT = 30


def session_body(token, username=USERNAME, password=PASSWORD):
    return {"data": {"id": token, "type": "session", "attributes": {"username": username, "password": password}}}


def jpeg(size=(300, 200), colour=(200, 30, 30)):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def assert_error(resp, status):
    """A JSON:API error document: the status, an errors array of objects with status/title/detail."""
    assert resp.status_code == status, f"{resp.request.method} {resp.url} -> {resp.status_code}: {resp.text[:400]}"
    assert resp.headers["Content-Type"].startswith(MEDIA_TYPE)
    (error,) = resp.json()["errors"]
    assert error["status"] == str(status) and error["title"] and error["detail"]
    return error


class Client:
    def __init__(self, base):
        self.base = base
        self.http = requests.Session()
        self.http.headers.update({"Accept": ACCEPT, "Apikey": API_KEY})
        self.token = None

    def request(self, method, path, *, bearer=True, headers=None, **kw):
        h = dict(headers or {})
        if bearer and self.token:
            h.setdefault("Authorization", f"Bearer {self.token}")
        if "json" in kw:
            import json

            kw["data"] = json.dumps(kw.pop("json"))
            h.setdefault("Content-Type", MEDIA_TYPE)
        return self.http.request(method, self.base + path, headers=h, timeout=TIMEOUT, **kw)

    def get(self, path, **params):
        return self.request("GET", path, params=params)

    def ok(self, path, **params):
        resp = self.get(path, **params)
        assert resp.status_code == 200, f"GET {resp.url} -> {resp.status_code}: {resp.text[:400]}"
        assert resp.headers["Content-Type"].startswith(MEDIA_TYPE)
        return resp.json()

    def open(self):
        resp = self.request("GET", "/rest/session", bearer=False)
        assert resp.status_code == 200, resp.text
        self.token = resp.json()["data"]["id"]
        return resp.json()

    def login(self, username=USERNAME, password=PASSWORD):
        resp = self.request("POST", "/rest/session", json=session_body(self.token, username, password))
        assert resp.status_code == 200, resp.text
        return resp.json()

    def walk(self, path, **params):
        """Every item of a paginated collection, by page number, with the sizes the server reported."""
        number, items, sizes = 1, [], []
        while True:
            body = self.ok(path, **{**params, "page[number]": number})
            items += body["data"]
            sizes.append(body["meta"]["page"]["size"])
            if number * body["meta"]["page"]["size"] >= body["meta"]["total"]:
                return items, body["meta"], sizes
            number += 1

    def upload(self, content=None, filename="photo.jpg", **fields):
        return self.request("POST", "/rest/item", data=fields,
                            files={"userfile": (filename, jpeg() if content is None else content, "image/jpeg")})

    # -- operator ---------------------------------------------------------------------------------
    def op(self, method, path, **kw):
        return sandboxes.op(method, self.base, path, **{"timeout": TIMEOUT, **kw}).json()

    def advance(self, seconds):
        return self.op("POST", "/clock", json={"advance": seconds})

"""The Acquia DAM sandbox conformance suite: a real sandbox process on a real socket, plain `requests`.

Each test cites what it checks: "doc" is the Acquia DAM (Classic, formerly Webdam) REST API v2 document,
by section title; "brief" is the DAM sources brief §4; "choice" is a sandbox choice listed in
docs/sandbox.md.
"""
import pytest
import requests

from tests.support import sandboxes

TIMEOUT = 30


def running(*args):
    """`with running(*args) as url:` an Acquia DAM sandbox process of our own."""
    return sandboxes.running("acquia_dam", *args)


class Dam:
    """`dam.get(path, **params)` calls the API with a bearer from the password grant."""

    def __init__(self, base):
        self.base = base
        self.session = requests.Session()
        self.catalogue = self.op("GET", "/catalogue").json()
        self._token = None

    def grant(self, **form):
        cred = self.catalogue["credentials"]
        data = {"grant_type": "password", "client_id": cred["ACQUIA_DAM_CLIENT_ID"],
                "client_secret": cred["ACQUIA_DAM_CLIENT_SECRET"], "username": cred["ACQUIA_DAM_USERNAME"],
                "password": cred["ACQUIA_DAM_PASSWORD"]}
        data.update(form)
        return self.session.post(self.base + "/oauth2/token", data={k: v for k, v in data.items() if v is not None},
                                 timeout=TIMEOUT)

    @property
    def token(self):
        if self._token is None:
            resp = self.grant()
            assert resp.status_code == 200, resp.text
            self._token = resp.json()["access_token"]
        return self._token

    def request(self, method, path, token=None, **kw):
        headers = {"Authorization": f"Bearer {token or self.token}", **kw.pop("headers", {})}
        return self.session.request(method, self.base + path, headers=headers, timeout=TIMEOUT, **kw)

    def get(self, path, **params):
        return self.request("GET", path, params=params)

    def ok(self, path, **params):
        resp = self.get(path, **params)
        assert resp.status_code == 200, f"{path} -> {resp.status_code}: {resp.text[:400]}"
        return resp.json()

    def put(self, path, json=None, **kw):
        return self.request("PUT", path, json=json, **kw)

    def op(self, method, path, **kw):
        return sandboxes.op(method, self.base, path, session=self.session, **{"timeout": TIMEOUT, **kw})

    def advance(self, seconds):
        return self.op("POST", "/clock", json={"advance": seconds}).json()

    def folder_id(self, tag_key):
        return self.catalogue["products"][tag_key]["id"]

    def walk(self, folder_id, limit=100, **params):
        items, offset = [], 0
        while True:
            page = self.ok(f"/folders/{folder_id}/assets", limit=limit, offset=offset, **params)
            items += page["items"]
            offset += limit
            if offset >= int(page["total_count"]):
                return items

    def upload(self, data, contenttype="image/jpeg", filename="photo.jpg", folder=None, prefix="/ws"):
        """The document's three steps; returns (process id, asset id)."""
        folder = folder or self.catalogue["review_folder"]["id"]
        step1 = self.get(f"{prefix}/awss3/generateupload", filesize=len(data), folderid=folder, filename=filename,
                         contenttype=contenttype)
        assert step1.status_code == 200, step1.text
        body = step1.json()
        put = self.session.put(body["presignedUrl"], data=data, headers={"Content-Type": contenttype}, timeout=TIMEOUT)
        assert put.status_code == 200, put.text
        done = self.put(f"{prefix}/awss3/finishupload/{body['processId']}")
        assert done.status_code == 200, done.text
        return body["processId"], done.json()["id"]


@pytest.fixture(scope="session")
def dam_url():
    with running() as url:
        yield url


@pytest.fixture
def dam(dam_url):
    """A client of the sandbox, reset to its seeded state."""
    client = Dam(sandboxes.reset(dam_url))
    yield client
    client.session.close()


def jpeg(size=(640, 480), colour=(200, 40, 40)):
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()

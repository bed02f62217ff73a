"""Hostile input and origins: tag keys that try to change the upstream path, and CORS."""
import re
from urllib.parse import quote

import pytest

from tests.conftest import make_app

HOSTILE_KEYS = [
    "/", "//", "/a", "a/", "a//b", "..", "../..", "../../customers/215816", "%2F", "%2e%2e%2fmedia", "a/b", "a/../b", "with space",
    " leading", "trailing ", "caf\u00e9-\u2615", "\u05e9\u05dc\u05d5\u05dd", "?x=1", "#frag",
    "a&tag_key=acme-anvil-50lb",
    "auth_token=x", "\\..\\", "k" * 255, "\u2615" * 255,
]
# What the gallery may ask the upstream while resolving a product, and nothing else.
ALLOWED_UPSTREAM = re.compile(r"/|/customers/215815|/customers/215815/streams/search|/streams/\d+(/media/\w+)?")


def assert_only_expected_upstream_calls(upstream_log, key):
    for call in upstream_log():
        assert ALLOWED_UPSTREAM.fullmatch(call["path"]), call
        if "tag_key" in call["query"]:
            assert call["query"]["tag_key"] == key, call


@pytest.mark.parametrize("key", HOSTILE_KEYS)
@pytest.mark.parametrize("suffix", ["", "/media"])
def test_hostile_tag_keys_are_a_clean_404(client, upstream_log, key, suffix):
    response = client.get(f"/api/v1/products/{quote(key, safe='')}{suffix}")
    assert response.status_code == 404, response.json
    assert response.json["error"]["code"] == "product_not_found"  # looked up as it is, never redirected
    assert_only_expected_upstream_calls(upstream_log, key)


def test_a_hostile_key_that_decodes_to_a_real_product_is_that_product(client):
    response = client.get("/api/v1/products/acme%2Danvil%2D50lb")  # %2D is "-"
    assert response.status_code == 200
    assert response.json["product"]["tag_key"] == "acme-anvil-50lb"


def test_a_key_cannot_smuggle_parameters_upstream(client, upstream_log):
    client.get("/api/v1/products/" + quote("acme-anvil-50lb&version=v1&count=1", safe="") + "/media")
    searches = [c for c in upstream_log() if c["path"].endswith("/streams/search")]
    assert searches and all(c["query"]["tag_key"] == "acme-anvil-50lb&version=v1&count=1" for c in searches)
    assert all(c["query"].get("version") == "v2.2" for c in upstream_log())


def test_cors_allows_a_listed_origin(secret_app):
    client = secret_app.test_client()
    response = client.get("/api/v1/products/acme-anvil-50lb", headers={"Origin": "https://shop.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    assert "Origin" in response.headers["Vary"]


def test_cors_refuses_another_origin(secret_app):
    client = secret_app.test_client()
    response = client.get("/api/v1/products/acme-anvil-50lb", headers={"Origin": "https://evil.example"})
    assert response.status_code == 200  # the browser, not us, withholds it
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Origin" in response.headers["Vary"]


def test_cors_headers_on_errors_too(secret_app):
    client = secret_app.test_client()
    response = client.get("/api/v1/products/x/media?limit=0", headers={"Origin": "https://shop.example"})
    assert response.status_code == 400
    assert response.headers["Access-Control-Allow-Origin"] == "https://shop.example"


def test_cors_star_in_sandbox_mode(client):
    response = client.get("/api/v1/products/acme-anvil-50lb", headers={"Origin": "https://anyone.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_cors_preflight(secret_app):
    client = secret_app.test_client()
    response = client.options("/api/v1/products/acme-anvil-50lb/media", headers={
        "Origin": "https://shop.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in response.headers["Access-Control-Allow-Headers"]


def test_no_cors_without_configured_origins(secret_app):
    secret_app.config["CORS_ORIGINS"] = []
    response = secret_app.test_client().get("/api/v1/media/3042079992", headers={"Origin": "https://shop.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


NON_ASCII_IDS = ["²", "３０４２０７９９９２", "٣٠٤٢٠٧٩٩٩٢", "3042079992²"]  # superscript, fullwidth, Arabic-Indic


@pytest.mark.parametrize("media_id", NON_ASCII_IDS)
def test_ids_are_ascii_digits_only(client, forwarded, media_id):
    quoted = quote(media_id, safe="")
    for path in (f"/api/v1/media/{quoted}", f"/olapic/media/{quoted}", f"/olapic/streams/{quoted}/media/recent"):
        response = client.get(path)
        assert response.status_code == 404, path
        error = response.json["data"] if path.startswith("/olapic") else response.json["error"]  # Olapic's envelope
        assert error["code"] in ("media_not_found", "not_found"), path
    report = client.post(f"/api/v1/media/{quoted}/reports", data={"email": "a@example.com", "reason": "spam"})
    assert report.status_code == 404 and report.json["error"]["code"] == "media_not_found"
    assert forwarded() == []  # none of them was forwarded


@pytest.fixture
def forwarded(upstream_log):
    """The upstream calls beyond resolving the customer: what a request made the service forward."""
    return lambda: [c for c in upstream_log() if c["path"] not in ("/", "/customers/215815")]


# -- host header poisoning: links come from PUBLIC_URL, never from Host or X-Forwarded-Host ----------

EVIL = {"Host": "evil.example", "X-Forwarded-Host": "evil2.example", "X-Forwarded-Proto": "https"}


def hrefs(response):
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "href" and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(response.json)
    return found


@pytest.fixture
def public_app(sandbox, redis_url):
    return make_app(sandbox, redis_url, SANDBOX_MODE=False, TRUSTED_PROXIES=1, PUBLIC_URL="https://ugc.shop.example")


def test_the_forwarded_host_probe(public_app):
    client = public_app.test_client()
    for path in ("/olapic/", "/olapic/streams/2190252887/media/recent"):
        response = client.get(path, headers=EVIL)
        assert response.status_code == 200 and "public" in response.headers["Cache-Control"]
        assert "evil" not in response.get_data(as_text=True)
        assert hrefs(response) and all(h.startswith("//ugc.shop.example/olapic/") for h in hrefs(response))
    upload = client.post("/api/v1/products/acme-anvil-50lb/uploads", headers=EVIL, data=upload_form())
    assert upload.status_code == 202, upload.json
    assert upload.headers["Location"].startswith("https://ugc.shop.example/api/v1/uploads/")
    status = client.get(upload.headers["Location"].removeprefix("https://ugc.shop.example"), headers=EVIL)
    assert status.json["upload"]["status_url"] == upload.headers["Location"]


@pytest.mark.parametrize("host, prefix", [
    ("evil.example", "/olapic/"),  # a host we cannot vouch for: path-only links
    ("127.0.0.1:5000", "//127.0.0.1:5000/olapic/"),
    ("[::1]:5000", "//[::1]:5000/olapic/"),
    ("192.168.1.20:5000", "//192.168.1.20:5000/olapic/"),  # a phone on the developer's LAN
    ("localhost", "//localhost/olapic/"),
])
def test_sandbox_mode_links_use_only_a_local_host(client, host, prefix):
    response = client.get("/olapic/", headers={"Host": host, "X-Forwarded-Host": "evil.example"})
    assert hrefs(response) and all(h.startswith(prefix) for h in hrefs(response)), hrefs(response)


def upload_form():
    import io

    from tests.uploads import corpus

    return {"file": (io.BytesIO(corpus.jpeg()), "a.jpg"), "email": "jane@example.com", "name": "Jane", "consent": "on"}

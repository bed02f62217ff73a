"""The API key never leaves the server: not in a response body or header, a cursor, a log line or Redis.

Runs against a sandbox started with a long random key (fixtures `secret_api_key`, `secret_app`), so
that finding it anywhere can only mean a leak.
"""
import logging
from urllib.parse import urlsplit

import requests

from gallery.api import cursor
from gallery.media.capabilities import SORTS


def exercise(client, secret_app, sandbox_url):
    """Every endpoint and the proxy, the happy paths and the error paths; yields each response."""
    catalogue = requests.get(sandbox_url + "/_sandbox/catalogue", timeout=10).json()
    category = next(iter(catalogue["categories"]))
    paths = ["/healthz", "/readyz", "/api/v1/openapi.json", "/api/v1/products/acme-anvil-50lb",
             "/api/v1/products/no-such-product", "/api/v1/products/no-such-product/media",
             "/api/v1/media/3042079992", "/api/v1/media/1", f"/api/v1/media/{catalogue['video_media'][0]}",
             f"/api/v1/categories/{category}/media", "/api/v1/categories/nope/media", "/api/v1/media?limit=100",
             "/api/v1/products/acme-anvil-50lb/media?limit=0", "/api/v1/products/acme-anvil-50lb/media?cursor=x",
             "/olapic/", "/olapic/customers/215815", "/olapic/media/3042079992", "/olapic/media/1",
             "/olapic/customers/215816", "/olapic/_sandbox/requests"]
    for path in paths:
        yield client.get(path)
    for sort in SORTS:
        query = {"sort": sort, "limit": 100}
        while True:
            response = client.get("/api/v1/products/test-520-media/media", query_string=query)
            yield response
            if not response.json["next"]:
                break
            query["cursor"] = response.json["next"]
    href = client.get("/olapic/customers/215815/streams/search?tag_key=test-51-media").json["data"][
        "_embedded"]["media:recent"]["_links"]["self"]["href"]
    while href:
        response = client.get(urlsplit(href).path + "?" + urlsplit(href).query)
        yield response
        href = response.json["data"]["_links"]["next"]["href"]
    # The upstream failing: errors and stale answers must not carry it either.
    requests.post(sandbox_url + "/_sandbox/faults", json={"path_prefix": "/", "status": 503}, timeout=10)
    yield client.get("/api/v1/products/never-seen")
    yield client.get("/api/v1/products/acme-anvil-50lb")
    requests.delete(sandbox_url + "/_sandbox/faults", timeout=10)
    requests.post(sandbox_url + "/_sandbox/faults", json={"path_prefix": "/", "body": "malformed"}, timeout=10)
    yield client.get("/api/v1/media/3042079979")
    yield client.get("/olapic/media/3042079979")
    requests.delete(sandbox_url + "/_sandbox/faults", timeout=10)
    yield client.get("/metrics")


def redis_contents(redis_client):
    for key in redis_client.scan_iter():
        kind = redis_client.type(key).decode()
        values = {
            "string": lambda: [redis_client.get(key)],
            "hash": lambda: [b for kv in redis_client.hgetall(key).items() for b in kv],
            "list": lambda: redis_client.lrange(key, 0, -1),
            "set": lambda: list(redis_client.smembers(key)),
            "zset": lambda: redis_client.zrange(key, 0, -1),
        }.get(kind, lambda: [])()
        yield key, values


def test_the_key_appears_nowhere(secret_app, secret_sandbox_url, secret_api_key, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    key = secret_api_key.encode()
    client = secret_app.test_client()
    seen = 0
    for response in exercise(client, secret_app, secret_sandbox_url):
        seen += 1
        assert key not in response.get_data()
        for name, value in response.headers.items():
            assert secret_api_key not in name + value
        if response.is_json and isinstance(response.json, dict) and response.json.get("next"):
            token = response.json["next"]
            with secret_app.app_context():  # what the cursor holds, decrypted
                assert key not in cursor._cipher().decrypt(token + "=" * (-len(token) % 4))
    assert seen > 40
    for args in (["gallery", "check"], ["gallery", "warm", "acme-anvil-50lb", "no-such-product"]):
        result = secret_app.test_cli_runner().invoke(args=args)
        assert secret_api_key not in result.output

    records = caplog.records
    assert records, "the requests were logged"
    for record in records:
        assert secret_api_key not in record.getMessage()
        assert secret_api_key not in (record.exc_text or "")
    assert secret_api_key not in caplog.text
    out, err = capfd.readouterr()
    assert secret_api_key not in out + err

    redis_client = secret_app.extensions["redis"]
    entries = 0
    for name, values in redis_contents(redis_client):
        entries += 1
        assert key not in name
        for value in values:
            assert key not in value
    assert entries > 10, "the cache was used"

    # The sandbox really did receive the key: the scan looked for the right thing.
    params = {"version": "v2.2", "auth_token": secret_api_key}
    response = requests.get(secret_sandbox_url + "/", params=params, timeout=10)
    assert response.status_code == 200

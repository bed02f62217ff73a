"""The shared Redis cache: upstream max-age, revalidation, stale-while-revalidate, and no key in Redis.

Expiry tests use a sandbox whose answers live 2 s (requests-cache uses the real clock), so they sleep
a little over 2 s; that is the whole cost.
"""
import base64
import json
import logging
import time

import pytest
import requests

from gallery.media import observe
from gallery.sources.olapic import OlapicCatalogue
from gallery.media.models import NotFound, PaginationExpired, UpstreamError
from tests.core.conftest import inject_fault, sandbox_requests

STREAM = "/streams/2190252887"
EXPIRY = 2.2  # a little more than the short sandbox's max-age


def counted(*names):
    return {name: observe.counters[name] for name in names}


def delta(before):
    return {name: observe.counters[name] - value for name, value in before.items()}


def test_max_age_decides_when_the_upstream_is_asked_again(make_client, short_sandbox):
    client = make_client(short_sandbox, stale_while_revalidate=0)
    client.get(STREAM)
    for _ in range(5):
        assert client.get(STREAM).status == 200
    assert len(sandbox_requests(short_sandbox)) == 1
    time.sleep(EXPIRY)
    client.get(STREAM)
    client.get(STREAM)
    assert len(sandbox_requests(short_sandbox)) == 2


def test_expired_entries_are_revalidated_with_their_etag(make_client, short_sandbox):
    client = make_client(short_sandbox, stale_while_revalidate=0)
    first = client.get(STREAM)
    time.sleep(EXPIRY)
    before = counted("cache_revalidated_total")
    again = client.get(STREAM)
    assert delta(before) == {"cache_revalidated_total": 1}
    assert [r["status"] for r in sandbox_requests(short_sandbox)] == [200, 304]
    assert again.json == first.json
    assert again.freshness.max_age in (1, 2) and not again.freshness.stale


def test_stale_while_revalidate_answers_at_once_and_refreshes_in_the_background(make_client, short_sandbox):
    client = make_client(short_sandbox, stale_while_revalidate=30)
    client.get(STREAM)
    time.sleep(EXPIRY)
    before = counted("cache_stale_total")
    answer = client.get(STREAM)
    assert answer.freshness.stale and answer.freshness.max_age == 0
    assert delta(before) == {"cache_stale_total": 1}
    deadline = time.monotonic() + 10
    while len(sandbox_requests(short_sandbox)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [r["status"] for r in sandbox_requests(short_sandbox)] == [200, 304]
    deadline = time.monotonic() + 10  # the refreshed entry lands in Redis right after the 304
    while client.get(STREAM).freshness.stale and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not client.get(STREAM).freshness.stale
    assert len(sandbox_requests(short_sandbox)) == 2


def test_background_refreshes_are_bounded(make_client, short_sandbox, catalogue):
    client = make_client(short_sandbox, stale_while_revalidate=30, refresh_threads=1)
    inject_fault(short_sandbox, path_prefix="/media", latency=0.3)
    ids = catalogue["hostile_media"][:6]
    for media_id in ids:
        client.get(f"/media/{media_id}")
    time.sleep(EXPIRY)
    for media_id in ids:  # six expired entries at once: 1 running + 1 queued refresh, the rest dropped
        assert client.get(f"/media/{media_id}").freshness.stale
    time.sleep(1.5)
    assert len(sandbox_requests(short_sandbox, "/media")) == len(ids) + 2


def test_entries_outlive_their_freshness_for_stale_if_error(make_client, sandbox, redis_client):
    make_client(sandbox, stale_if_error=3600).get(STREAM)
    (key,) = redis_client.scan_iter("gallery:http:*")
    assert redis_client.ttl(key) > 3600 + 590


def scan_redis(redis_client):
    """Every key and value in Redis, response bodies decoded, as one text."""
    texts = []
    for key in redis_client.scan_iter():
        kind = redis_client.type(key)
        if kind == b"string":
            value = redis_client.get(key)
        elif kind == b"hash":
            value = json.dumps({k.decode(): v.decode() for k, v in redis_client.hgetall(key).items()}).encode()
        else:
            value = repr(kind).encode()
        texts += [key, value]
        try:
            content = json.loads(value).get("_content")
        except (ValueError, AttributeError):
            content = None
        if content:
            texts.append(base64.b64decode(content))
    return b"\n".join(texts).decode("utf-8", "replace")


def test_the_key_is_in_no_redis_key_or_value_nor_any_log_line(
        make_client, secret_sandbox_url, secret_api_key, redis_client, caplog):
    caplog.set_level(logging.DEBUG)
    requests.post(secret_sandbox_url + "/_sandbox/reset", timeout=10).raise_for_status()
    client = make_client(secret_sandbox_url, api_key=secret_api_key, read_timeout=0.5)
    source = OlapicCatalogue(client)
    source.product("acme-anvil-50lb")
    page = source.product_media("test-51-media", "recent", 20, {})
    page = source.product_media("test-51-media", "recent", 20, {}, page.next_state)
    source.brand_media("shuffled", 100, {})
    source.medium("3042079992")
    with pytest.raises(NotFound):
        source.product("no-such-product")
    requests.post(secret_sandbox_url + "/_sandbox/clock", json={"advance": 43201}, timeout=10)
    with pytest.raises(PaginationExpired):
        page = source.product_media("test-51-media", "recent", 20, {}, page.next_state)
    failures = []
    for fault in ({"status": 503}, {"latency": 1}, {"body": "truncated"}, {"drop": True}):
        inject_fault(secret_sandbox_url, path_prefix="/categories", count=1, **fault)
        with pytest.raises(UpstreamError) as error:
            client.get(f"/categories/{fault}")
        failures.append(repr(error.value) + str(error.value.__context__))

    assert len(list(redis_client.scan_iter("gallery:http:*"))) >= 5
    redis_text = scan_redis(redis_client)
    assert "version=v2.2" in redis_text  # the scan does see the stored requests and bodies
    assert secret_api_key not in redis_text
    assert "auth_token" not in redis_text
    assert all(secret_api_key not in failure for failure in failures)
    assert caplog.records and all(secret_api_key not in record.getMessage() for record in caplog.records)
    assert secret_api_key not in caplog.text

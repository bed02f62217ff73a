"""Upstream and Redis trouble: stale answers while the upstream fails, direct answers while Redis is down."""
import logging
import time

import pytest

from gallery.media import observe
from gallery.sources.olapic import OlapicCatalogue
from gallery.media.models import UpstreamError
from tests.conftest import make_app, wait_for
from tests.core.conftest import inject_fault, redis_connection, sandbox_requests

EXPIRY = 2.2  # a little more than the short sandbox's max-age
FAULTS = {
    "503": {"status": 503},
    "timeout": {"latency": 1.5},
    "malformed": {"body": "malformed"},
    "truncated": {"body": "truncated"},
    "drop": {"drop": True},
}


def test_every_fault_serves_the_last_good_answer(make_client, short_sandbox, catalogue):
    # First pages of media listings: each upstream answer opens a new page_key, so a revalidation
    # gets a full new body (not a 304) that the fault can break.
    client = make_client(short_sandbox, stale_while_revalidate=0, read_timeout=0.5)
    streams = dict(zip(FAULTS, (s["id"] for s in catalogue["streams"].values() if s["media"])))
    href = {name: f"/streams/{stream_id}/media/recent" for name, stream_id in streams.items()}
    good = {name: client.get(href[name]).json for name in FAULTS}
    time.sleep(EXPIRY)
    for name, fault in FAULTS.items():
        inject_fault(short_sandbox, path_prefix=href[name], **fault)
        before = observe.counters["cache_stale_total"]
        answer = client.get(href[name])
        assert answer.json == good[name], name
        assert answer.freshness.stale and answer.freshness.max_age == 0, name
        assert observe.counters["cache_stale_total"] == before + 1, name
    time.sleep(1.5)  # the slow answer gets logged once written
    assert 304 not in [r["status"] for r in sandbox_requests(short_sandbox)]  # each fault hit a full answer


def test_stale_answers_keep_whole_galleries_up(make_client, short_sandbox):
    source = OlapicCatalogue(make_client(short_sandbox, stale_while_revalidate=0), "215815")
    first = source.product_media("test-51-media", "recent", 100, {})
    time.sleep(EXPIRY)
    inject_fault(short_sandbox, path_prefix="/", status=503)
    again = source.product_media("test-51-media", "recent", 100, {})
    assert [m["id"] for m in again.items] == [m["id"] for m in first.items]
    assert again.freshness.stale


def test_nothing_stale_past_the_stale_if_error_window(make_client, short_sandbox):
    client = make_client(short_sandbox, stale_while_revalidate=0, stale_if_error=1)
    client.get("/streams/2190252887")
    time.sleep(EXPIRY + 1)
    inject_fault(short_sandbox, path_prefix="/streams", status=503)
    with pytest.raises(UpstreamError) as error:
        client.get("/streams/2190252887")
    assert error.value.kind == "unavailable" and error.value.retry_after


def test_a_product_never_seen_fails_fast_during_an_outage(make_client, sandbox):
    source = OlapicCatalogue(make_client(sandbox, read_timeout=0.5), "215815")
    inject_fault(sandbox, path_prefix="/customers", latency=3)
    for _ in range(3):
        started = time.monotonic()
        with pytest.raises(UpstreamError) as error:
            source.product("acme-anvil-50lb")
        assert error.value.kind == "timeout"
        assert time.monotonic() - started < 2  # within the timeout budget, never a hang


def test_the_upstream_is_asked_again_once_it_recovers(make_client, short_sandbox):
    client = make_client(short_sandbox, stale_while_revalidate=0)
    inject_fault(short_sandbox, path_prefix="/streams", status=503, count=1)
    with pytest.raises(UpstreamError):
        client.get("/streams/2190252887")
    deadline = time.monotonic() + 10  # failures are remembered for a few seconds only
    while time.monotonic() < deadline:
        try:
            assert client.get("/streams/2190252887").status == 200
            break
        except UpstreamError:
            time.sleep(0.2)
    assert [r["status"] for r in sandbox_requests(short_sandbox)] == [503, 200]


def test_redis_stopped_and_started(make_client, sandbox, redis_server, caplog):
    caplog.set_level(logging.WARNING, logger="gallery.upstream.client")
    client = make_client(sandbox, redis_client=redis_connection(redis_server.url), redis_probe_interval=0.2)
    source = OlapicCatalogue(client, "215815")  # no memo: every call reaches the client
    source.product_media("acme-anvil-50lb", "recent", 20, {})
    assert len(sandbox_requests(sandbox)) == 2  # the product, then its media; cached from now on

    redis_server.stop()
    before = observe.counters.copy()
    for _ in range(3):  # still answering, straight from the upstream, and promptly
        started = time.monotonic()
        assert len(source.product_media("acme-anvil-50lb", "recent", 20, {}).items) == 6
        assert time.monotonic() - started < 2
        time.sleep(0.25)  # past the probe interval: each call also probes the stopped Redis
    assert len(sandbox_requests(sandbox)) == 2 + 3 * 2
    assert observe.counters["cache_bypass_total"] - before["cache_bypass_total"] == 6
    assert observe.counters["redis_degraded_total"] - before["redis_degraded_total"] == 1
    assert len([r for r in caplog.records if "Redis unavailable" in r.getMessage()]) == 1  # logged once

    redis_server.start()  # an empty Redis, as after a restart without persistence
    time.sleep(0.3)  # the next probe
    source.product_media("acme-anvil-50lb", "recent", 20, {})
    source.product_media("acme-anvil-50lb", "recent", 20, {})
    assert len(sandbox_requests(sandbox)) == 2 + 3 * 2 + 2  # cached again: one miss each, then hits
    assert len([r for r in caplog.records if "Redis is back" in r.getMessage()]) == 1


def test_the_service_answers_and_reports_while_redis_is_down(sandbox, redis_server):
    app = make_app(sandbox, redis_server.url)
    client = app.test_client()
    path = "/api/v1/products/acme-anvil-50lb/media"
    assert client.get(path).status_code == 200

    redis_server.stop()
    app.extensions["rendered_answers"].forget()  # so the answer must come through the degraded path
    answer = client.get(path)
    assert answer.status_code == 200 and len(answer.json["media"]) == 6
    ready = client.get("/readyz").json
    assert (ready["redis"], ready["upstream"], ready["status"]) == ("down", "ok", "degraded")

    redis_server.start()
    wait_for(lambda: client.get("/readyz").json["status"] == "ok", "Redis reported back")
    assert client.get(path).status_code == 200

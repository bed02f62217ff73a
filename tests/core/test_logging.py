"""The structured request log (one JSON line per request) and /metrics."""
import json
import logging
import sys
import time

import pytest
import requests

from gallery.requestlog import JsonLines
from tests.support.metrics import total


@pytest.fixture
def request_lines(caplog):
    caplog.set_level(logging.INFO, logger="gallery.request")

    def lines():
        return [json.loads(r.getMessage()) for r in caplog.records if r.name == "gallery.request"]
    return lines


def test_one_line_per_request_with_route_cache_and_upstream_calls(client, request_lines):
    client.get("/api/v1/products/test-20-media/media?limit=5")
    (line,) = request_lines()
    assert line["method"] == "GET"
    assert line["route"] == "/api/v1/products/<tag_key:tag_key>/media"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["cache"] == "miss"
    assert line["upstream_calls"] >= 2  # the product's search and its first page, at least

    client.get("/api/v1/products/test-20-media/media?limit=5")
    again = request_lines()[1]
    assert again["cache"] == "hit" and again["upstream_calls"] == 0


def test_the_log_names_the_route_never_the_path_or_query(client, request_lines):
    cursor = client.get("/api/v1/products/test-51-media/media").json["next"]
    client.get(f"/api/v1/products/test-51-media/media?cursor={cursor}&rights_given=0")
    client.get("/olapic/media/3042079992?auth_token=client-secret")
    text = json.dumps(request_lines())
    for secret in ("test-51-media", cursor, "rights_given", "client-secret", "3042079992"):
        assert secret not in text
    assert [line["route"] for line in request_lines()][-1] == "/olapic/<any_path:path>"


def test_errors_and_unknown_routes_are_logged(client, request_lines):
    client.get("/api/v1/products/x/media?limit=0")
    client.get("/no/such/route")
    bad, unknown = request_lines()
    assert (bad["status"], bad["upstream_calls"], bad["cache"]) == (400, 0, None)
    assert (unknown["status"], unknown["route"]) == (404, None)


def test_stale_answers_are_logged_and_expire_at_once_downstream(short_sandbox, redis_url, request_lines):
    from gallery import create_app

    requests.post(short_sandbox + "/_sandbox/reset", timeout=10).raise_for_status()
    app = create_app({"TESTING": True, "SANDBOX_MODE": False, "OLAPIC_API_KEY": "sandbox",
                      "OLAPIC_API_URL": short_sandbox, "REDIS_URL": redis_url})
    app.extensions["redis"].flushdb()
    client = app.test_client()
    assert client.get("/api/v1/media/3042079992").status_code == 200
    requests.post(short_sandbox + "/_sandbox/faults", json={"path_prefix": "/", "status": 503},
                  timeout=10).raise_for_status()
    time.sleep(2.5)  # let the two-second freshness run out
    stale = client.get("/api/v1/media/3042079992")
    assert stale.status_code == 200
    assert stale.headers["Cache-Control"].startswith("public, max-age=0,")
    assert request_lines()[-1]["cache"] == "stale"


def test_the_formatter_writes_json_lines_and_masks_the_key():
    formatter = JsonLines("0123456789abcdef")
    try:
        raise ValueError("GET https://api/?auth_token=0123456789abcdef failed")
    except ValueError:
        record = logging.LogRecord("gallery.olapic", logging.ERROR, __file__, 1, "upstream: %s", ("x",), sys.exc_info())
    line = formatter.format(record)
    entry = json.loads(line)
    assert entry["level"] == "ERROR" and entry["logger"] == "gallery.olapic" and entry["message"] == "upstream: x"
    assert "0123456789abcdef" not in line and "[redacted]" in entry["exception"]
    request_record = logging.LogRecord("gallery.request", logging.INFO, __file__, 1, '{"status": 200}', (), None)
    assert formatter.format(request_record) == '{"status": 200}'


def test_metrics_in_prometheus_text_format(client):
    before = client.get("/metrics")
    assert before.status_code == 200
    assert before.mimetype == "text/plain"
    assert before.headers["Cache-Control"] == "no-store"
    client.get("/api/v1/products/test-21-media/media")
    client.get("/api/v1/products/test-21-media/media")
    after = client.get("/metrics").get_data(as_text=True)

    def grew(name, **labels):
        return total(after, name, **labels) - total(before.get_data(as_text=True), name, **labels)

    assert grew("gallery_upstream_request_duration_seconds_count", provider="olapic", outcome="ok") >= 2
    assert grew("gallery_cache_outcomes_total", outcome="miss") >= 1
    assert grew("gallery_answer_memo_hits_total") + grew("gallery_cache_outcomes_total", outcome="hit") >= 1
    route = "/api/v1/products/<tag_key:tag_key>/media"
    assert grew("gallery_http_request_duration_seconds_count", route=route, method="GET", status="200") == 2
    assert grew("gallery_http_request_duration_seconds_count", route="/metrics") == 1


def test_a_sources_own_events_get_counters_of_their_own(client):
    from gallery.media import observe

    observe.count("logging_test_events_total", provider="olapic")
    observe.count("logging_test_events_total", 2, provider="olapic")
    text = client.get("/metrics").get_data(as_text=True)
    assert total(text, "gallery_logging_test_events_total", provider="olapic") == 3

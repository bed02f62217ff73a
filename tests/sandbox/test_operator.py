"""Operator endpoints under /_sandbox/: request log, reset, clock, faults."""
import json
import time
from datetime import datetime

import pytest
import requests

from .helpers import KEY, WORKED_STREAM_ID, assert_envelope


def log(api, **params):
    return api.op("GET", "/requests", params=params).json()["requests"]


# -- request log --------------------------------------------------------------------------------


def test_request_log_records_api_and_image_requests(api):
    api.op("DELETE", "/requests")
    api(f"/streams/{WORKED_STREAM_ID}", count="5")
    api("/streams/123")
    image = api.ok("/media/3042079979")["images"]["square"]
    requests.get(image, timeout=10)
    entries = log(api)
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("GET", f"/streams/{WORKED_STREAM_ID}", 200),
        ("GET", "/streams/123", 404),
        ("GET", "/media/3042079979", 200),
        ("GET", image.split(api.host, 1)[1], 200),
    ]
    first = entries[0]
    assert set(first) >= {"method", "path", "query", "status", "time"}
    assert first["query"] == {"auth_token": "[redacted]", "version": "v2.2", "count": "5"}
    if isinstance(first["time"], str):  # ISO-8601 or epoch seconds: either must parse
        datetime.fromisoformat(first["time"])
    else:
        assert float(first["time"]) > 0


def test_request_log_never_shows_the_key(api):
    api.op("DELETE", "/requests")
    api("/")
    api("/", auth_token="some-wrong-secret-token")
    api.post("/stashes", files={"file": ("x.txt", b"nope", "text/plain")})
    entries = log(api)
    assert len(entries) == 3
    assert all(e["query"].get("auth_token") == "[redacted]" for e in entries)
    raw = api.op("GET", "/requests").text
    assert KEY not in raw.replace("/_sandbox", "")
    assert "some-wrong-secret-token" not in raw


def test_request_log_filter_and_clear(api):
    api.op("DELETE", "/requests")
    api("/")
    api(f"/streams/{WORKED_STREAM_ID}")
    api(f"/streams/{WORKED_STREAM_ID}/media/recent")
    paths = [e["path"] for e in log(api, path_prefix="/streams")]
    assert paths == [f"/streams/{WORKED_STREAM_ID}", f"/streams/{WORKED_STREAM_ID}/media/recent"]
    assert len(log(api)) == 3
    api.op("DELETE", "/requests")
    assert log(api) == []


def test_operator_requests_are_not_logged(api):
    api.op("DELETE", "/requests")
    api.op("GET", "/catalogue")
    api.op("GET", "/clock")
    api.op("GET", "/moderation")
    api.op("GET", "/faults")
    assert log(api) == []


def test_request_log_records_posts(api):
    api.op("DELETE", "/requests")
    api.post("/media/3042079979/reports", data={"email": "a@example.com", "reason": "test"})
    (entry,) = log(api)
    assert (entry["method"], entry["path"], entry["status"]) == ("POST", "/media/3042079979/reports", 201)


# -- reset --------------------------------------------------------------------------------------


def test_reset_restores_everything(api, catalogue):
    sid = catalogue["streams"]["test-1-media"]["id"]
    medium = api.upload(stream_id=sid)
    victim = api.ok(f"/streams/{sid}/media/recent")["_embedded"]["media"][0]["id"]
    api.post(f"/media/{victim}/reports", data={"email": "a@example.com", "reason": "x"})
    api.advance(5000)
    api.fault(path_prefix="/customers", status=503)
    api("/")
    api.op("POST", "/reset")
    assert api.now()["offset"] == 0
    assert api.op("GET", "/faults").json() in ([], {"faults": []})
    assert log(api) == []
    assert api.moderation() == []
    assert api.ok(f"/media/{victim}")["status"] == "approved"
    assert api(f"/media/{medium['id']}").status_code == 404
    assert api("/").status_code == 200


# -- clock --------------------------------------------------------------------------------------


def test_clock_reads_and_advances(api):
    start = api.now()
    assert start["offset"] == 0
    t0 = datetime.fromisoformat(start["now"])
    moved = api.advance(3600)
    assert moved["offset"] == 3600
    t1 = datetime.fromisoformat(moved["now"])
    assert 3600 <= (t1 - t0).total_seconds() < 3600 + 60
    assert api.advance(60)["offset"] == 3660
    assert api.now()["offset"] == 3660


# -- faults -------------------------------------------------------------------------------------


def test_status_fault_with_count(api):
    api.fault(path_prefix="/streams", status=503, count=2)
    assert api(f"/streams/{WORKED_STREAM_ID}").status_code == 503
    assert api("/").status_code == 200, "other paths are not affected"
    assert api(f"/streams/{WORKED_STREAM_ID}/media/recent").status_code == 503
    assert_envelope(api(f"/streams/{WORKED_STREAM_ID}"))
    assert api.op("GET", "/faults").json() in ([], {"faults": []})


def test_fault_listing_and_clearing(api):
    api.fault(path_prefix="/media", status=503)
    listed = api.op("GET", "/faults").json()
    faults = listed["faults"] if isinstance(listed, dict) else listed
    assert len(faults) == 1 and faults[0]["path_prefix"] == "/media"
    for _ in range(3):
        assert api("/media/3042079979").status_code == 503, "without count or duration the fault stays"
    api.op("DELETE", "/faults")
    assert api("/media/3042079979").status_code == 200


def test_latency_fault(api):
    api.fault(path_prefix="/customers", latency=0.5, count=1)
    t = time.monotonic()
    resp = api("/customers/215815")
    elapsed = time.monotonic() - t
    assert resp.status_code == 200
    assert 0.5 <= elapsed < 15
    assert_envelope(resp)


def test_malformed_body_fault(api):
    api.fault(path_prefix="/streams", body="malformed", count=1)
    resp = api(f"/streams/{WORKED_STREAM_ID}")
    with pytest.raises(ValueError):
        json.loads(resp.text)
    assert_envelope(api(f"/streams/{WORKED_STREAM_ID}"))


def test_truncated_body_fault(api):
    api.fault(path_prefix="/streams", body="truncated", count=1)
    try:
        resp = requests.get(
            api.base + f"/streams/{WORKED_STREAM_ID}", params={"auth_token": KEY, "version": "v2.2"}, timeout=10
        )
        body = resp.content
    except requests.RequestException:
        pass  # a short read is a faithful way to truncate
    else:
        with pytest.raises(ValueError):
            json.loads(body)
        full = api(f"/streams/{WORKED_STREAM_ID}").content
        assert 0 < len(body) < len(full)
        assert full.startswith(body)
    assert_envelope(api(f"/streams/{WORKED_STREAM_ID}"))


def test_drop_fault(api):
    api.fault(path_prefix="/streams", drop=True, count=1)
    with pytest.raises(requests.ConnectionError):
        requests.get(
            api.base + f"/streams/{WORKED_STREAM_ID}", params={"auth_token": KEY, "version": "v2.2"}, timeout=10
        )
    assert_envelope(api(f"/streams/{WORKED_STREAM_ID}"))


def test_drop_after_fault_spec(api):
    for drop in ("later", 1):
        bad = api.session.post(api.base + "/_sandbox/faults", timeout=10, json={"path_prefix": "/", "drop": drop})
        assert bad.status_code == 400 and "drop" in bad.json()["error"]
    api.fault(path_prefix="/streams", drop="after", count=1)
    with pytest.raises(requests.ConnectionError):
        requests.get(
            api.base + f"/streams/{WORKED_STREAM_ID}", params={"auth_token": KEY, "version": "v2.2"}, timeout=10
        )
    assert [e["status"] for e in log(api)] == [None]  # handled (logged), never answered
    assert_envelope(api(f"/streams/{WORKED_STREAM_ID}"))


def test_fault_duration_follows_the_sandbox_clock(api):
    api.fault(path_prefix="/streams", status=503, duration=60)
    assert api(f"/streams/{WORKED_STREAM_ID}").status_code == 503
    api.advance(30)
    assert api(f"/streams/{WORKED_STREAM_ID}").status_code == 503
    api.advance(31)
    assert_envelope(api(f"/streams/{WORKED_STREAM_ID}"))


def test_fault_hits_only_its_prefix(api):
    api.fault(path_prefix="/media/3042079979", status=503)
    assert api("/media/3042079979").status_code == 503
    assert api("/media/3042079980").status_code == 200
    assert api(f"/streams/{WORKED_STREAM_ID}").status_code == 200


def test_faulted_requests_are_logged(api):
    api.op("DELETE", "/requests")
    api.fault(path_prefix="/streams", status=503, count=1)
    api(f"/streams/{WORKED_STREAM_ID}")
    (entry,) = log(api)
    assert entry["status"] == 503


def test_fault_headers_go_on_the_faulted_answer(api):
    api.fault(path_prefix="/streams", status=429, count=1, headers={"Retry-After": "7"})
    faulted = api.get(f"/streams/{WORKED_STREAM_ID}")
    assert faulted.status_code == 429 and faulted.headers["Retry-After"] == "7"
    assert "Retry-After" not in api.get(f"/streams/{WORKED_STREAM_ID}").headers


def test_fault_headers_must_be_strings(api):
    bad = api.session.post(api.base + "/_sandbox/faults", timeout=10,
                           json={"path_prefix": "/", "status": 429, "headers": {"Retry-After": 7}})
    assert bad.status_code == 400 and "headers" in bad.json()["error"]


def test_catalogue_lists_credentials_products_and_hidden_media(api, catalogue):
    assert catalogue["credentials"] == {"OLAPIC_API_KEY": KEY, "OLAPIC_API_URL": api.base}
    assert catalogue["products"]["acme-anvil-50lb"] == {"id": WORKED_STREAM_ID, "media": 6}
    assert catalogue["hidden_media"] == []
    uploaded = api.upload(stream_id=WORKED_STREAM_ID)["id"]
    hidden = api.op("get", "/catalogue").json()["hidden_media"]
    assert hidden == [uploaded]

"""Upstream trouble as our clients see it: 502/503/504 with a stable code, Retry-After, no stack trace."""
import pytest
import requests

from tests.conftest import SANDBOX_KEY


@pytest.fixture
def impatient_client(sandbox, redis_url):
    """An app whose upstream read timeout is short, so that a slow sandbox is a timeout."""
    from gallery import create_app

    app = create_app({"TESTING": True, "SANDBOX_MODE": False, "OLAPIC_API_KEY": SANDBOX_KEY,
                      "OLAPIC_API_URL": sandbox, "REDIS_URL": redis_url, "UPSTREAM_READ_TIMEOUT": 0.3})
    app.extensions["redis"].flushdb()
    return app.test_client()


def fault(sandbox, **spec):
    requests.post(sandbox + "/_sandbox/faults", json={"path_prefix": "/", **spec}, timeout=10).raise_for_status()


@pytest.mark.parametrize("spec, status, code", [
    ({"status": 503}, 503, "upstream_unavailable"),
    ({"status": 500}, 503, "upstream_unavailable"),
    ({"drop": True}, 503, "upstream_unavailable"),
    ({"body": "malformed"}, 502, "upstream_bad_response"),
    ({"body": "truncated"}, 502, "upstream_bad_response"),
    ({"latency": 1.0}, 504, "upstream_timeout"),
])
@pytest.mark.parametrize("path", ["/api/v1/products/never-seen/media", "/api/v1/media/3042079992",
                                  "/olapic/media/3042079992"])
def test_upstream_failures_are_clean_errors(impatient_client, sandbox, spec, status, code, path):
    fault(sandbox, **spec)
    response = impatient_client.get(path)
    assert response.status_code == status
    if path.startswith("/olapic/"):  # the proxy's own errors come in Olapic's envelope
        assert response.json["metadata"]["code"] == status
        error = response.json["data"]
    else:
        error = response.json["error"]
    assert error == {"code": code, "message": error["message"]}
    assert response.headers["Cache-Control"] == "no-store"
    if status in (503, 504):
        assert int(response.headers["Retry-After"]) > 0
    else:
        assert "Retry-After" not in response.headers


def test_a_gallery_seen_before_is_served_through_an_outage(client, sandbox):
    first = client.get("/api/v1/products/acme-anvil-50lb/media")
    fault(sandbox, status=503)
    again = client.get("/api/v1/products/acme-anvil-50lb/media")
    assert again.status_code == 200
    assert again.json == first.json

"""The foundation: configuration, health endpoints, JSON errors."""
from gallery import settings
from gallery.sources.olapic.settings import PRODUCTION_URL


def test_sandbox_mode_without_a_key():
    config = settings.from_env({"PORT": "7000"})
    assert config["SANDBOX_MODE"] is True
    assert config["OLAPIC_API_URL"] == "http://127.0.0.1:7001"
    assert config["CORS_ORIGINS"] == ["*"]


def test_production_mode_with_a_key():
    config = settings.from_env({"OLAPIC_API_KEY": "k1", "REDIS_URL": "redis://r:6379/0"})
    assert config["SANDBOX_MODE"] is False
    assert config["OLAPIC_API_URL"] == PRODUCTION_URL
    assert config["CORS_ORIGINS"] == []
    assert config["SECRET_KEY"] != settings.from_env({"OLAPIC_API_KEY": "k2"})["SECRET_KEY"]


def test_healthz(client):
    assert client.get("/healthz").json == {"status": "ok"}


def test_readyz_reports_redis_and_upstream(client):
    body = client.get("/readyz").json
    assert body["redis"] == "ok"
    assert body["upstream"] == "ok"
    assert body["status"] == "ok"


def test_unknown_path_is_a_json_error(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_wrong_method_is_a_json_error_with_allow(client):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.json["error"]["code"] == "method_not_allowed"


def test_create_app_starts_nothing(redis_url, monkeypatch):
    """In sandbox mode with nothing configured, create_app neither starts a sandbox nor exports
    anything: make run / python app.py start the embedded defaults (gallery/embedded.py)."""
    import os

    import requests

    from gallery import create_app
    from tests.support.processes import free_port

    for name in ("OLAPIC_API_KEY", "OLAPIC_API_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    port = free_port()
    monkeypatch.setenv("PORT", str(port - 1))  # the Olapic sandbox would listen on PORT + 1
    before = dict(os.environ)
    app = create_app({"TESTING": True, "REDIS_URL": redis_url})
    assert app.config["SANDBOX_MODE"] and app.config["OLAPIC_API_URL"] == f"http://127.0.0.1:{port}"
    assert dict(os.environ) == before
    try:
        requests.get(app.config["OLAPIC_API_URL"] + "/_sandbox/catalogue", timeout=1)
        started = True
    except requests.ConnectionError:
        started = False
    assert not started


def test_the_providers_are_the_configured_sources_in_order(sandbox, redis_url):
    import pytest

    from tests.support.app import make_app

    app = make_app(redis_url, sandbox, UPLOAD_PROVIDER="")
    assert app.extensions["registry"].names == ["olapic"]
    assert app.extensions["registry"].uploads.name == "olapic"  # the one that takes uploads
    with pytest.raises(ValueError, match="not configured"):
        make_app(redis_url, sandbox, GALLERY_PROVIDERS=["olapic"], OLAPIC_API_KEY="")
    with pytest.raises(ValueError, match="nosuch"):
        make_app(redis_url, sandbox, GALLERY_PROVIDERS=["nosuch"])

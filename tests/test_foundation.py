"""The foundation: configuration, health endpoints, JSON errors."""
from gallery import settings


def test_sandbox_mode_without_a_key():
    config = settings.from_env({"PORT": "7000"})
    assert config["SANDBOX_MODE"] is True
    assert config["OLAPIC_API_URL"] == "http://127.0.0.1:7001"
    assert config["CORS_ORIGINS"] == ["*"]


def test_production_mode_with_a_key():
    config = settings.from_env({"OLAPIC_API_KEY": "k1", "REDIS_URL": "redis://r:6379/0"})
    assert config["SANDBOX_MODE"] is False
    assert config["OLAPIC_API_URL"] == settings.OLAPIC_PRODUCTION_URL
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

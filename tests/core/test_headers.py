"""Headers every answer carries, and the optional token of /metrics."""
import pytest

from tests.conftest import make_app


@pytest.mark.parametrize("method, path", [
    ("GET", "/api/v1/products/acme-anvil-50lb"),
    ("GET", "/api/v1/products/no-such-product"),
    ("GET", "/api/v1/media?limit=0"),
    ("GET", "/olapic/media/3042079992"),
    ("GET", "/no/such/route"),
    ("POST", "/healthz"),
    ("GET", "/healthz"),
    ("GET", "/metrics"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/widgets/carousel.js"),
    ("GET", "/static/carousel.css"),
    ("POST", "/api/v1/media/3042079992/reports"),
])
def test_every_answer_says_nosniff(client, method, path):
    response = client.open(path, method=method)
    assert response.headers["X-Content-Type-Options"] == "nosniff", (response.status_code, path)


def test_metrics_are_open_without_a_token(client):
    assert client.get("/metrics").status_code == 200


def test_metrics_behind_a_token(sandbox, redis_url):
    client = make_app(sandbox, redis_url, METRICS_TOKEN="s3cret-scraper").test_client()
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret-scraper"}):
        response = client.get("/metrics", headers=headers)
        assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    answer = client.get("/metrics", headers={"Authorization": "Bearer s3cret-scraper"})
    assert answer.status_code == 200 and "gallery_" in answer.get_data(as_text=True)
    assert client.get("/healthz").status_code == 200  # nothing else asks for it

"""/readyz and `flask gallery check` against shapes the service cannot read: they say so, never "ok"."""
import pytest

from tests.conftest import make_app

from .recorded_server import CUSTOMER_ID, KEY

OK = {"code": 200, "message": "OK", "version": "v2.0"}


@pytest.fixture
def recorded(recorded_server):
    yield recorded_server
    recorded_server.overrides.clear()


@pytest.fixture
def make(recorded, redis_url):
    return lambda **config: make_app(recorded.url, redis_url, OLAPIC_API_KEY=KEY, SANDBOX_MODE=False, **config)


@pytest.mark.parametrize("path, body, says", [
    ("/", {"metadata": OK, "data": {"_links": {}, "_embedded": {"user": {}}}}, "no customer"),
    ("/", {"metadata": OK, "data": {"_embedded": {"customer": {"id": CUSTOMER_ID, "_embedded": {}}}}},
     "no media:recent listing"),
    (f"/customers/{CUSTOMER_ID}/media/recent", {"metadata": OK, "data": ["not", "a", "page"]}, "without a page"),
    (f"/customers/{CUSTOMER_ID}/media/recent",
     {"metadata": OK, "data": {"_embedded": {"media": [{"caption": "a medium without an id"}]}}}, "cannot read"),
])
def test_a_shape_we_cannot_read_is_reported(recorded, make, path, body, says):
    recorded.overrides[path] = body
    app = make()
    ready = app.test_client().get("/readyz").json
    assert (ready["upstream"], ready["status"]) == ("unreadable", "degraded")
    assert says in ready["upstream_detail"]
    result = app.test_cli_runner().invoke(args=["gallery", "check"])
    assert result.exit_code == 1
    assert says in result.output and KEY not in result.output


def test_a_configured_customer_is_read_wrapped(recorded, make):
    app = make(OLAPIC_CUSTOMER_ID=CUSTOMER_ID)
    assert app.test_client().get("/readyz").json["upstream"] == "ok"
    assert ("GET", f"/customers/{CUSTOMER_ID}") in {(m, p.rstrip("/")) for m, p, _ in recorded.requests}
    result = app.test_cli_runner().invoke(args=["gallery", "check"])
    assert result.exit_code == 0, result.output
    assert f"customer {CUSTOMER_ID}" in result.output


def test_a_configured_customer_that_is_not_the_key_s(make):
    app = make(OLAPIC_CUSTOMER_ID="123")
    ready = app.test_client().get("/readyz").json
    assert ready["upstream"] == "wrong_customer"
    assert "OLAPIC_CUSTOMER_ID is 123, but the key belongs to customer 900100" in ready["upstream_detail"]

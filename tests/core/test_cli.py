"""Operator commands through Flask's CLI runner, against the sandbox and a real Redis."""
import pytest

from gallery.media.capabilities import SORTS
from tests.conftest import SANDBOX_KEY, free_port


def run(app, *args):
    return app.test_cli_runner().invoke(args=["gallery", *args])


def test_warm_fetches_every_page_of_every_sort(app, client, upstream_log):
    result = run(app, "warm", "test-51-media", "acme-anvil-50lb")
    assert result.exit_code == 0, result.output
    assert "Warming" in result.output
    assert "0 problems" in result.output
    warmed = len(upstream_log())
    assert warmed > 0
    for sort in SORTS:  # every page a widget can ask for is now answered from the cache
        query = {"sort": sort}
        while True:
            page = client.get("/api/v1/products/test-51-media/media", query_string=query)
            assert page.status_code == 200
            if not page.json["next"]:
                break
            query["cursor"] = page.json["next"]
    assert client.get("/api/v1/products/acme-anvil-50lb").status_code == 200
    assert len(upstream_log()) == warmed


def test_warm_reads_tag_keys_from_a_file(app, tmp_path, upstream_log):
    keys = tmp_path / "keys.txt"
    keys.write_text("# products to warm\ntest-21-media\n\ntest-1-media\n")
    result = run(app, "warm", "--file", str(keys), "--sort", "recent")
    assert result.exit_code == 0, result.output
    searched = {c["query"]["tag_key"] for c in upstream_log() if "tag_key" in c["query"]}
    assert searched == {"test-21-media", "test-1-media"}


def test_warm_reports_unknown_products_and_fails(app):
    result = run(app, "warm", "acme-anvil-50lb", "no-such-product")
    assert result.exit_code == 1
    assert "no-such-product: no such product" in result.output


def test_warm_needs_tag_keys(app):
    result = run(app, "warm")
    assert result.exit_code == 2
    assert "tag keys" in result.output


def test_warm_reports_an_upstream_outage(app, sandbox):
    import requests
    requests.post(sandbox + "/_sandbox/faults", json={"path_prefix": "/", "status": 503}, timeout=10).raise_for_status()
    result = run(app, "warm", "test-1-media")
    assert result.exit_code == 1
    assert "upstream failed" in result.output


def test_check_passes_on_a_good_setup(app):
    result = run(app, "check")
    assert result.exit_code == 0, result.output
    assert "customer 215815" in result.output
    assert "Redis answers" in result.output
    assert "FAIL" not in result.output


@pytest.fixture
def make_app(sandbox, redis_url):
    from gallery import create_app

    def make(**overrides):
        config = {"TESTING": True, "SANDBOX_MODE": False, "OLAPIC_API_KEY": SANDBOX_KEY,
                  "OLAPIC_API_URL": sandbox, "REDIS_URL": redis_url}
        return create_app({**config, **overrides})
    return make


@pytest.mark.parametrize("overrides, says", [
    ({"OLAPIC_API_KEY": "wrong-key"}, "refused the key"),
    ({"OLAPIC_CUSTOMER_ID": "215816"}, "OLAPIC_CUSTOMER_ID is 215816, but the key belongs to customer 215815"),
    ({"OLAPIC_API_URL": f"http://127.0.0.1:{free_port()}"}, "Cannot reach the Olapic API"),
    ({"REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}, "Redis does not answer"),
])
def test_check_says_what_is_wrong(make_app, overrides, says):
    result = run(make_app(**overrides), "check")
    assert result.exit_code == 1
    assert says in result.output
    assert "wrong-key" not in result.output


def test_check_reports_a_failing_upstream(app, sandbox):
    import requests
    requests.post(sandbox + "/_sandbox/faults", json={"path_prefix": "/", "status": 503}, timeout=10).raise_for_status()
    result = run(app, "check")
    assert result.exit_code == 1
    assert "answered HTTP 503" in result.output


def test_refresh_forgets_a_products_cached_gallery_everywhere(app, client, upstream_log):
    assert client.get("/api/v1/products/acme-anvil-50lb/media").status_code == 200
    fetched = len(upstream_log())
    assert client.get("/api/v1/products/acme-anvil-50lb/media").status_code == 200
    assert len(upstream_log()) == fetched  # memoised and cached
    result = run(app, "refresh", "acme-anvil-50lb")
    assert result.exit_code == 0, result.output
    assert "Refreshed 1 products of olapic." in result.output
    assert client.get("/api/v1/products/acme-anvil-50lb/media").status_code == 200
    assert len(upstream_log()) > fetched  # asked the upstream again

"""Mediagraph failing through /api/v1: a token disabled mid-run, 429 with Retry-After, 401/403 never
taken for "not found"."""
import logging

from tests.support import sandboxes

from .conftest import app_for, log, operator

NOTE = "Revoked by staff: leaked in a public repository"


def test_a_token_disabled_mid_run_fails_as_credentials_with_its_note(mediagraph, redis_url, caplog):
    caplog.set_level(logging.INFO)
    app = app_for(mediagraph, redis_url)
    client = app.test_client()
    first = client.get("/api/v1/products/test-520-media/media", query_string={"limit": 20}).json
    operator(mediagraph, "POST", "/pat/disable", json={"note": NOTE})

    walk_on = client.get("/api/v1/products/test-520-media/media", query_string={"limit": 20, "cursor": first["next"]})
    assert walk_on.status_code == 503 and walk_on.headers["Retry-After"]
    unseen = client.get("/api/v1/products/test-51-media/media")  # never looked up: not a 404 either
    assert unseen.status_code == 503 and unseen.json["error"]["code"] == "upstream_unavailable"
    assert NOTE in caplog.text

    ready = client.get("/readyz").json
    assert ready["providers"]["mediagraph"] == "credentials" and ready["status"] == "degraded"
    assert NOTE in ready["upstream_detail"]
    check = app.test_cli_runner().invoke(args=["gallery", "check"])
    assert check.exit_code == 1 and NOTE in check.output and "MEDIAGRAPH_TOKEN" in check.output

    operator(mediagraph, "POST", "/pat/enable")
    # The refusal is remembered a few seconds (fail fast), as a failure, never as "not found".
    assert client.get("/api/v1/products/test-51-media/media").status_code == 503
    assert client.get("/api/v1/products/test-50-media/media").status_code == 200
    assert client.get("/readyz").json["providers"]["mediagraph"] == "ok"
    disabled = [e for e in log(mediagraph) if e["status"] == 401]
    assert len(disabled) >= 2  # each refusal reached Mediagraph: none was remembered as an answer


def test_429_with_retry_after_answers_503_with_it_and_fails_fast(mediagraph, redis_url):
    client = app_for(mediagraph, redis_url).test_client()
    client.get("/api/v1/products/acme-anvil-50lb")
    sandboxes.fault(mediagraph, path_prefix="/api/assets/search", status=429, headers={"Retry-After": "7"})
    answer = client.get("/api/v1/products/acme-anvil-50lb/media")
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "7"
    calls = len(log(mediagraph, "/api/assets/search"))
    again = client.get("/api/v1/products/acme-anvil-50lb/media")
    assert again.status_code == 503 and again.headers["Retry-After"] == "7"
    assert len(log(mediagraph, "/api/assets/search")) == calls  # the failure is remembered for 7 s


def test_a_403_is_never_cached_as_not_found(mediagraph, redis_url):
    client = app_for(mediagraph, redis_url).test_client()
    sandboxes.fault(mediagraph, path_prefix="/api/collections", status=403, count=1)
    refused = client.get("/api/v1/products/test-11-media")
    assert refused.status_code == 503 and "max-age" not in refused.headers.get("Cache-Control", "")
    assert client.get("/api/v1/products/test-10-media/media").status_code == 200
    assert client.get("/api/v1/media/mg-1").status_code == 404  # a real 404 stays one


def test_check_names_a_wrong_parent_or_contribution(mediagraph, redis_url):
    for setting in ("MEDIAGRAPH_PRODUCTS_PARENT_ID", "MEDIAGRAPH_CONTRIBUTION_ID"):
        app = app_for(mediagraph, redis_url, **{setting: "999999"})
        result = app.test_cli_runner().invoke(args=["gallery", "check"])
        assert result.exit_code == 1 and setting in result.output, result.output
        assert app.test_client().get("/readyz").json["providers"]["mediagraph"] != "ok"
    ok = app_for(mediagraph, redis_url).test_cli_runner().invoke(args=["gallery", "check"])
    assert ok.exit_code == 0 and "ok    mediagraph" in ok.output


def test_unsupported_sorts_are_400_and_our_caching_stays_inside_the_urls_validity(mediagraph, redis_url, mg_catalogue):
    client = app_for(mediagraph, redis_url).test_client()
    path = "/api/v1/products/acme-anvil-50lb/media"
    for sort in ("shuffled", "photorank"):
        answer = client.get(path, query_string={"sort": sort})
        assert answer.status_code == 400 and answer.json["error"]["field"] == "sort"
    assert client.get("/api/v1/media").json["error"]["field"] == "providers"  # no brand listing
    for sort in ("recent", "rated", "media_position"):
        answer = client.get(path, query_string={"sort": sort})
        assert answer.status_code == 200 and answer.json["media"]
        cc = answer.cache_control
        ttl = int(mg_catalogue["credentials"]["MEDIAGRAPH_URL_TTL"])
        assert 0 < cc.max_age and cc.max_age + int(cc.stale_if_error or 0) <= ttl, answer.headers["Cache-Control"]
        assert cc.max_age + int(cc.stale_while_revalidate or 0) <= ttl

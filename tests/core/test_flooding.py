"""Flooding the upstream cache: random parameters and random keys must cost the upstream, and Redis,
next to nothing; cache misses are rate limited per client, hits never; the cache lives apart."""
from tests.conftest import make_app


def test_random_parameters_never_reach_the_upstream_nor_the_cache(app, client, upstream_log):
    path = "/olapic/streams/2190252887/media/recent"
    assert client.get(path).status_code == 200
    # Only this listing's calls: another test's background refresh may still reach the shared sandbox.
    listing = "/streams/2190252887/media/recent"
    calls, keys = len(upstream_log(listing)), app.extensions["redis"].dbsize()
    for n in range(100):
        response = client.get(path, query_string={"b": f"{n:x}-cachebuster", "_": n})
        assert response.status_code == 200
    assert len(upstream_log(listing)) == calls  # all hits: the parameters were dropped before the cache key
    assert app.extensions["redis"].dbsize() <= keys + 2  # (rate-limit counters), not 100 cached answers
    assert not any("cachebuster" in str(c["query"]) for c in upstream_log())


def test_documented_parameters_still_pass(client, upstream_log):
    response = client.get("/olapic/streams/2190252887/media/recent", query_string={
        "count": 2, "rights_given": 1, "include_tagged_galleries": 0, "tag_key": "ignored-here"})
    assert response.status_code == 200
    [call] = [c for c in upstream_log() if c["path"] == "/streams/2190252887/media/recent"]
    assert {k: call["query"][k] for k in ("count", "rights_given", "include_tagged_galleries")} == {
        "count": "2", "rights_given": "1", "include_tagged_galleries": "0"}
    assert "tag_key" not in call["query"]  # not a parameter of this endpoint
    search = client.get("/olapic/customers/215815/streams/search", query_string={"tag_key": "acme-anvil-50lb", "x": 1})
    assert search.status_code == 200
    [call] = [c for c in upstream_log() if c["path"].endswith("/streams/search")]
    assert call["query"]["tag_key"] == "acme-anvil-50lb" and "x" not in call["query"]


def test_misses_are_limited_per_client_and_hits_never(sandbox, redis_url, upstream_log):
    app = make_app(sandbox, redis_url, UPSTREAM_MISSES_PER_CLIENT="10 per minute")
    client = app.test_client()
    assert client.get("/api/v1/products/acme-anvil-50lb").status_code == 200  # the root and a search
    statuses = [client.get(f"/api/v1/products/random-{n}").status_code for n in range(30)]
    assert statuses[:8] == [404] * 8 and set(statuses[8:]) == {429}
    limited = client.get("/api/v1/products/random-x")
    assert limited.json["error"]["code"] == "rate_limited" and int(limited.headers["Retry-After"]) >= 1
    assert len(upstream_log()) == 10
    for _ in range(50):  # what is cached costs the upstream nothing, and is never limited
        assert client.get("/api/v1/products/acme-anvil-50lb").status_code == 200
    app.extensions["rendered_answers"].forget()
    assert client.get("/api/v1/products/acme-anvil-50lb").status_code == 200  # a Redis hit: no miss
    other = client.get("/api/v1/products/random-y", environ_base={"REMOTE_ADDR": "203.0.113.77"})
    assert other.status_code == 404  # another client has its own allowance


def test_the_cache_lives_apart_from_what_must_never_be_evicted(sandbox, redis_url, redis_server):
    app = make_app(sandbox, redis_url, CACHE_REDIS_URL=redis_server.url)
    cache, main = app.extensions["cache_redis"], app.extensions["redis"]
    cache.flushdb()
    client = app.test_client()
    assert client.get("/api/v1/products/acme-anvil-50lb/media").status_code == 200
    assert cache.keys("gallery:http*") and not main.keys("gallery:http*")
    upload = client.post("/api/v1/products/acme-anvil-50lb/uploads", data=upload_form())
    assert upload.status_code == 202
    assert main.keys("gallery:upload:*") and main.keys("rq:*") and main.keys("LIMITS*")
    assert not cache.keys("gallery:upload:*") and not cache.keys("rq:*")


def test_readyz_warns_when_redis_nears_its_limit(sandbox, redis_server):
    app = make_app(sandbox, redis_server.url)
    client = app.test_client()
    assert client.get("/readyz").json["redis_memory"] == "ok"  # no maxmemory: no limit to near
    r = app.extensions["redis"]
    used = int(r.info("memory")["used_memory"])
    r.config_set("maxmemory", str(int(used * 1.05)))
    ready = client.get("/readyz").json
    assert ready["redis_memory"] == "near_limit" and ready["status"] == "degraded"
    r.config_set("maxmemory", str(used * 4))
    assert client.get("/readyz").json["redis_memory"] == "ok"


def upload_form():
    from tests.core.test_security import upload_form as form

    return form()

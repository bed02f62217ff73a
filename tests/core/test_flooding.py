"""Flooding the upstream cache: random parameters and random keys must cost the upstream, and Redis,
next to nothing; cache misses are rate limited per client, hits never; the cache lives apart."""


def test_random_parameters_never_reach_the_upstream_nor_the_cache(app, client, upstream_log):
    path = "/olapic/streams/2190252887/media/recent"
    assert client.get(path).status_code == 200
    calls, keys = len(upstream_log()), app.extensions["redis"].dbsize()
    for n in range(100):
        response = client.get(path, query_string={"b": f"{n:x}-cachebuster", "_": n})
        assert response.status_code == 200
    assert len(upstream_log()) == calls  # all hits: the parameters were dropped before the cache key
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

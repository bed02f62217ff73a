"""The Olapic client: URLs, the key, answers and failures, against real sockets."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from gallery.media import observe
from gallery.media.models import UpstreamError
from tests.core.conftest import inject_fault, sandbox_requests


@pytest.fixture
def echo():
    """A tiny upstream that records raw request lines and answers an Olapic envelope whose links
    carry the key the way the real API's do."""
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            if self.path.startswith("/redirect"):
                self.send_response(302)
                self.send_header("Location", "http://127.0.0.1:9/stolen")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            token = parse_qs(urlsplit(self.path).query).get("auth_token", [""])[0]
            body = json.dumps({
                "metadata": {"code": 200, "message": "OK", "version": "v2.2"},
                "data": {"_links": {
                    "self": {"href": f"//{self.headers['Host']}/streams/1?auth_token={token}&version=v2.2"},
                    "next": {"href": f"//{self.headers['Host']}/streams/1?version=v2.2&auth_token={token}"},
                    "other": {"href": f"//{self.headers['Host']}/streams/1?a=1&auth_token={token}&b=2"},
                }},
            }).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "max-age=60")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def test_the_key_is_sent_exactly_once_and_never_returned(make_client, echo):
    url, seen = echo
    client = make_client(url, api_key="k-123")
    href = f"//{urlsplit(url).netloc}/streams/1?auth_token=someone-elses&count=5"
    answer = client.get(href, {"count": 7, "auth_token": "a-callers"})
    assert len(seen) == 1
    query = parse_qs(urlsplit(seen[0]).query)
    assert query["auth_token"] == ["k-123"]
    assert query["count"] == ["7"] and query["version"] == ["v2.2"]
    links = answer.json["data"]["_links"]
    assert links["self"]["href"].endswith("/streams/1?version=v2.2")
    assert links["next"]["href"].endswith("/streams/1?version=v2.2")
    assert links["other"]["href"].endswith("/streams/1?a=1&b=2")
    assert "k-123" not in json.dumps(answer.json)


def test_redirects_are_never_followed(make_client, echo):
    url, seen = echo
    with pytest.raises(UpstreamError) as error:
        make_client(url, api_key="k-123").get("/redirect")
    assert error.value.kind == "bad_response"
    assert len(seen) == 1


@pytest.mark.parametrize("href", [
    "https://evil.example/streams/1",
    "//evil.example/streams/1",
    "//127.0.0.1:1/streams/1",  # same host, another port
    "/streams/../customers/1",
    "/streams/%2e%2e/customers/1",
    # Look-alikes of Olapic's own hosts: only the exact hosts, on http(s), no port, no user.
    "//z2photorankapi-a.akamaihd.net.evil.example/streams/1",
    "//evilphotorankapi-a.akamaihd.net/streams/1",
    "//z2photorankapi-a.akamaihd.net:8443/streams/1",
    "//user@z2photorankapi-a.akamaihd.net/streams/1",
    "ftp://z2photorankapi-a.akamaihd.net/streams/1",
    "//z1photorankmedia-a.akamaihd.net/streams/1",  # the image CDN is not the API
    "//z2photorankapi-a.akamaihd.net/streams/../../_sandbox/requests",
])
def test_links_outside_the_upstream_are_refused(olapic, sandbox, href):
    with pytest.raises(UpstreamError) as error:
        olapic.get(href)
    assert error.value.kind == "bad_response"
    assert sandbox_requests(sandbox) == []


def test_paths_and_protocol_relative_links_reach_the_upstream(olapic, sandbox, catalogue):
    stream_id = catalogue["streams"]["acme-anvil-50lb"]["id"]
    host = urlsplit(sandbox).netloc
    by_path = olapic.get(f"/streams/{stream_id}")
    by_href = olapic.get(f"//{host}/streams/{stream_id}?version=v2.2")
    assert by_path.status == by_href.status == 200
    assert by_path.json["data"]["id"] == stream_id
    assert len(sandbox_requests(sandbox)) == 1  # the same resource: the second came from the cache


@pytest.mark.parametrize("host", [
    "photorankapi-a.akamaihd.net", "z1photorankapi-a.akamaihd.net", "Z4PHOTORANKAPI-A.akamaihd.net",
    "rest.photorank.me",
])
def test_links_on_olapic_s_hosts_are_followed_by_path_on_the_configured_url(olapic, sandbox, catalogue, host):
    stream_id = catalogue["streams"]["acme-anvil-50lb"]["id"]
    for href in (f"//{host}/streams/{stream_id}/?version=v2.2", f"https://{host}/streams/{stream_id}"):
        assert olapic.url(href).startswith(f"{sandbox}/streams/{stream_id}?")
        assert olapic.get(href).json["data"]["id"] == stream_id
    # A trailing slash counts as absent: one resource, one cache entry, one upstream request.
    assert [r["path"] for r in sandbox_requests(sandbox)] == [f"/streams/{stream_id}"]


def test_a_configured_base_path_prefixes_olapic_hosts_links(make_client):
    client = make_client("http://127.0.0.1:9/olapic-api")
    assert client.url("//z3photorankapi-a.akamaihd.net/media/1/?page_key=k") == \
        "http://127.0.0.1:9/olapic-api/media/1?page_key=k&version=v2.2&wrap_responses=1"
    assert client.url("http://127.0.0.1:9/olapic-api/media/1/") == \
        "http://127.0.0.1:9/olapic-api/media/1?version=v2.2&wrap_responses=1"


def test_upstream_errors_keep_their_status_and_are_cached(olapic, sandbox):
    first = olapic.get("/streams/999")
    second = olapic.get("/streams/999")
    assert first.status == second.status == 404
    assert first.json["data"]["message"] == "No entity of type Stream was found with id 999."
    assert len(sandbox_requests(sandbox)) == 1


def test_a_hit_is_fresh_and_counted(olapic, sandbox):
    before = observe.counters.copy()
    olapic.get("/customers/215815")
    answer = olapic.get("/customers/215815")
    assert 590 <= answer.freshness.max_age <= 600 and not answer.freshness.stale
    assert observe.counters["cache_miss_total"] - before["cache_miss_total"] == 1
    assert observe.counters["cache_hit_total"] - before["cache_hit_total"] == 1
    assert observe.counters["upstream_requests_total"] - before["upstream_requests_total"] == 1


@pytest.mark.parametrize("fault, kind", [
    ({"status": 503}, "unavailable"),
    ({"status": 500}, "unavailable"),
    ({"drop": True}, "unavailable"),
    ({"latency": 1.5}, "timeout"),
    ({"body": "malformed"}, "bad_response"),
    ({"body": "truncated"}, "bad_response"),
])
def test_failures_without_anything_stale_raise_their_kind(make_client, sandbox, fault, kind):
    client = make_client(sandbox, read_timeout=0.5)
    inject_fault(sandbox, path_prefix="/streams", **fault)
    with pytest.raises(UpstreamError) as error:
        client.get("/streams/2190252887")
    assert error.value.kind == kind
    assert (error.value.retry_after is None) == (kind == "bad_response")


@pytest.mark.parametrize("fault", [{"body": "malformed"}, {"body": "truncated"}, {"status": 503}])
def test_failed_answers_are_never_cached(olapic, sandbox, redis_client, fault):
    inject_fault(sandbox, path_prefix="/streams", **fault)
    with pytest.raises(UpstreamError):
        olapic.get("/streams/2190252887")
    assert list(redis_client.scan_iter("gallery:http:*")) == []


def test_readiness_asks_the_upstream_past_the_cache(make_client, sandbox):
    from gallery.sources.olapic.health import OlapicProbe

    def readiness(customer_id="", **options):
        health = OlapicProbe(make_client(sandbox, **options), sandbox, customer_id)()
        return (health.status, health.checks[0].message.rsplit(" ", 1)[-1]) if health.status == "ok" else (
            health.status, None)

    assert readiness() == ("ok", "215815")
    assert readiness() == ("ok", "215815")
    # Each time: the root, then the customer's media listing followed (by path: its links are on shard hosts).
    def asked():  # only these paths: another test's background refresh may still reach the shared sandbox
        return [r["path"] for r in sandbox_requests(sandbox) if r["path"] == "/" or r["path"].startswith("/customers")]

    assert asked() == ["/", "/customers/215815/media/recent"] * 2
    assert readiness("215815") == ("ok", "215815")
    assert asked()[-3:] == ["/", "/customers/215815", "/customers/215815/media/recent"]
    assert readiness("215816")[0] == "wrong_customer"
    assert readiness(api_key="wrong")[0] == "http 401"
    inject_fault(sandbox, path_prefix="/customers/215815/media", status=503)
    assert readiness()[0] == "unavailable"
    inject_fault(sandbox, path_prefix="/", status=503)
    assert readiness()[0] == "unavailable"


def test_the_app_holds_one_client_and_its_source(app):
    from gallery.extensions import get_registry

    with app.app_context():
        assert get_registry().names == ["olapic"]
        assert get_registry().default.catalogue.product("acme-anvil-50lb").value["tag_key"] == "acme-anvil-50lb"


def test_readyz_asks_the_upstream_through_the_client(client, sandbox):
    inject_fault(sandbox, path_prefix="/", status=503)
    response = client.get("/readyz")
    assert response.json["upstream"] == "unavailable" and response.json["status"] == "degraded"

"""Costs do not multiply: a federated page is made of each provider's own cached, single-flighted pages."""
import threading
from collections import Counter

from tests.federation.conftest import ANVIL, SHARED
from tests.support import sandboxes

PATH = f"/api/v1/products/{SHARED}/media"


def upstream_calls(urls):
    """{provider: Counter of (method, path, query) it answered}."""
    calls = {}
    for name, url in urls.items():
        log = sandboxes.requests_log(url)
        calls[name] = Counter((r["method"], r["path"], str(sorted(r["query"].items()))) for r in log
                              if not r["path"].startswith("/_sandbox"))
    return calls


def clear(urls):
    for url in urls.values():
        sandboxes.clear_requests(url)


def test_a_cached_federated_page_costs_no_upstream_call(client, urls):
    assert client.get(PATH).status_code == 200
    client.get(f"/api/v1/products/{ANVIL}")
    clear(urls)
    for path in (PATH, PATH + "?b=1", f"/api/v1/products/{ANVIL}"):  # memoised, or every provider's memo
        assert client.get(path).status_code == 200
    assert all(not calls for calls in upstream_calls(urls).values())


def test_a_cold_federated_page_asks_each_provider_url_once_under_concurrency(make_federated, urls):
    # Waiters give up on another's fetch after about one upstream timeout: a long one, so that a busy
    # machine cannot make them fetch themselves (what this test would count).
    app = make_federated(UPSTREAM_READ_TIMEOUT=10.0)
    clear(urls)
    answers, start = [], threading.Barrier(40)

    def ask():
        client = app.test_client()
        start.wait()
        answers.append(client.get(PATH, query_string={"limit": 100}))

    threads = [threading.Thread(target=ask) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(answers) == 40 and all(a.status_code == 200 for a in answers)
    assert len({tuple(m["id"] for m in a.json["media"]) for a in answers}) == 1
    for name, calls in upstream_calls(urls).items():
        assert calls and max(calls.values()) == 1, (name, calls)


def test_warm_fills_every_providers_pages_for_the_mixed_listings(app, client, urls):
    result = app.test_cli_runner().invoke(args=["gallery", "warm", ANVIL, "--sort", "recent", "--sort", "photorank"])
    assert result.exit_code == 0, result.output
    clear(urls)
    for sort in ("recent", "photorank"):
        assert client.get(f"/api/v1/products/{ANVIL}/media", query_string={"sort": sort}).status_code == 200
    assert all(not calls for calls in upstream_calls(urls).values())

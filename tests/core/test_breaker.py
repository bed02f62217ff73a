"""The circuit breaker's states, shared through a real Redis by every process that names the same upstream."""
import time

from gallery.upstream.breaker import CircuitBreaker


def test_opens_after_a_few_failures_and_one_probe_closes_it(redis_client):
    breaker = CircuitBreaker(redis_client, "olapic", threshold=3, window=30, open_seconds=1)
    other_process = CircuitBreaker(redis_client, "olapic", threshold=3, window=30, open_seconds=1)
    assert breaker.allow() and breaker.state() == "closed"
    assert [breaker.failed(), other_process.failed(), breaker.failed()] == [False, False, True]
    assert breaker.state() == other_process.state() == "open"
    assert not breaker.allow() and not other_process.allow()  # nobody calls the upstream meanwhile

    time.sleep(1.1)
    assert breaker.state() == "half_open"
    assert [other_process.allow(), breaker.allow(), breaker.allow()] == [True, False, False]  # one probe
    other_process.failed()  # the probe timed out too: open again
    assert breaker.state() == "open" and not breaker.allow()

    time.sleep(1.1)
    assert breaker.allow()  # the next probe
    breaker.succeeded()
    assert other_process.state() == "closed" and other_process.allow() and breaker.allow()


def test_each_upstream_has_its_own(redis_client):
    olapic, dam = CircuitBreaker(redis_client, "olapic", threshold=1), CircuitBreaker(redis_client, "mediagraph")
    olapic.failed()
    assert not olapic.allow() and dam.allow()


def test_failures_outside_the_window_do_not_add_up(redis_client):
    breaker = CircuitBreaker(redis_client, "olapic", threshold=2, window=1)
    breaker.failed()
    time.sleep(1.1)
    assert breaker.failed() is False and breaker.allow()


def test_an_answer_resets_the_count(redis_client):
    breaker = CircuitBreaker(redis_client, "olapic", threshold=2)
    breaker.failed()
    breaker.succeeded()
    assert breaker.failed() is False and breaker.state() == "closed"


def test_fails_open_without_redis(redis_server):
    from tests.core.conftest import redis_connection

    breaker = CircuitBreaker(redis_connection(redis_server.url), "olapic", threshold=1)
    redis_server.stop()
    assert breaker.failed() is False and breaker.allow() and breaker.state() == "closed"

"""Single flight: concurrent misses for one upstream URL make one upstream request, across threads
and processes; waiters are bounded."""
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from gallery.upstream.singleflight import SingleFlight
from gallery.media.models import UpstreamError
from tests.core.conftest import inject_fault, sandbox_requests

STREAM = "/streams/2190252887"


def test_twenty_threads_one_upstream_request(olapic, sandbox):
    inject_fault(sandbox, path_prefix="/streams", latency=0.5)  # keeps the first request in flight
    barrier = threading.Barrier(20)

    def get(_):
        barrier.wait()
        return olapic.get(STREAM)

    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(get, range(20)))
    assert len(sandbox_requests(sandbox)) == 1
    assert all(a.status == 200 and a.json == answers[0].json for a in answers)


WORKER = textwrap.dedent("""
    import sys, threading, time
    import redis
    from gallery.sources.olapic import OlapicClient

    redis_url, sandbox, start = sys.argv[1], sys.argv[2], float(sys.argv[3])
    client = OlapicClient(api_url=sandbox, api_key="sandbox", redis_client=redis.Redis.from_url(redis_url))
    results = []

    def get():
        time.sleep(max(0, start - time.time()))
        results.append(client.get("/streams/2190252887").status)

    threads = [threading.Thread(target=get) for _ in range(10)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    print(results.count(200))
""")


def test_two_processes_one_upstream_request(sandbox, redis_client, redis_url):
    inject_fault(sandbox, path_prefix="/streams", latency=0.5)
    start = time.time() + 3  # both processes fire at once, after their imports
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, redis_url, sandbox, str(start)],
                         stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [proc.communicate(timeout=60)[0].strip() for proc in procs]
    assert outputs == ["10", "10"]
    assert len(sandbox_requests(sandbox)) == 1


def test_a_failing_upstream_is_asked_once_by_concurrent_misses(make_client, sandbox):
    client = make_client(sandbox, read_timeout=0.5)
    inject_fault(sandbox, path_prefix="/streams", latency=1.5)
    barrier = threading.Barrier(10)

    def get(_):
        barrier.wait()
        try:
            client.get(STREAM)
        except UpstreamError as exc:
            return exc.kind

    with ThreadPoolExecutor(10) as pool:
        kinds = list(pool.map(get, range(10)))
    assert kinds == ["timeout"] * 10
    started = time.monotonic()
    with pytest.raises(UpstreamError):  # and the next one fails fast, without asking
        client.get(STREAM)
    assert time.monotonic() - started < 0.5
    time.sleep(1.5)  # the sandbox logs a request once its (slow) answer is written
    assert len(sandbox_requests(sandbox)) == 1


def test_a_waiter_fetches_itself_once_the_bound_passes(redis_client):
    # Two SingleFlight objects are two processes: they share only Redis.
    holder, waiter = SingleFlight(redis_client, wait=0.5), SingleFlight(redis_client, wait=0.5)
    release = threading.Event()
    calls = []

    def hung_fetch():
        calls.append("holder")
        release.wait(10)
        return "late"

    thread = threading.Thread(target=holder.do, args=("k", hung_fetch, lambda: None))
    thread.start()
    while not calls:
        time.sleep(0.01)
    started = time.monotonic()
    assert waiter.do("k", lambda: calls.append("waiter") or "own", lambda: None) == "own"
    assert 0.4 < time.monotonic() - started < 3  # waited for the bound, not for the hung holder
    release.set()
    thread.join()
    assert calls == ["holder", "waiter"]


def test_a_waiter_takes_the_holders_result(redis_client):
    holder, waiter = SingleFlight(redis_client, wait=5), SingleFlight(redis_client, wait=5)
    shared = {}

    def fetch():
        time.sleep(0.3)
        shared["k"] = "fetched once"
        return shared["k"]

    thread = threading.Thread(target=holder.do, args=("k", fetch, lambda: shared.get("k")))
    thread.start()
    time.sleep(0.1)
    assert waiter.do("k", lambda: pytest.fail("the waiter fetched"), lambda: shared.get("k")) == "fetched once"
    thread.join()
    assert not redis_client.exists("gallery:flight:k")  # released

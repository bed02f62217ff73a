"""A hung upstream (connections accepted, never answered) against the service as the Procfile runs it:
gunicorn and its gthread worker, over real sockets. Bounds here guard against hangs; they claim no speed."""
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.conftest import SANDBOX_KEY, free_port, wait_for
from tests.support.metrics import total
from tests.support.processes import wait_for_http
from tests.core.conftest import inject_fault

HANG = 30  # seconds the upstream holds each request: the sandbox's latency fault
AT_ONCE = 2  # "at once", with room for a loaded machine; one upstream timeout alone is 2.5 s
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def gunicorn(short_sandbox, redis_url):
    """The service under gunicorn (1 worker, its 8 threads) against the short-max-age sandbox."""
    port = free_port()
    env = {**os.environ, "PORT": str(port), "REDIS_URL": redis_url, "OLAPIC_API_KEY": SANDBOX_KEY,
           "OLAPIC_API_URL": short_sandbox, "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "8",
           "STALE_WHILE_REVALIDATE": "0", "UPSTREAM_BREAKER_OPEN_SECONDS": "2", "LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:create_app()"],
                            env=env, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(url + "/healthz", proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(20)


def timed_get(url):
    started = time.monotonic()
    try:
        status = requests.get(url, timeout=HANG + 10).status_code
    except requests.RequestException as exc:
        status = type(exc).__name__
    return status, time.monotonic() - started


def upstream_calls(gunicorn):
    """The service's count of upstream requests."""
    metrics = requests.get(gunicorn + "/metrics", timeout=10).text
    return total(metrics, "gallery_upstream_request_duration_seconds_count")


def test_a_hung_upstream_stalls_nothing_that_needs_no_upstream(gunicorn, short_sandbox):
    page = gunicorn + "/api/v1/products/acme-anvil-50lb/media"
    assert requests.get(page, timeout=10).status_code == 200
    before = upstream_calls(gunicorn)
    time.sleep(2.2)  # the page's upstream answers are stale now, kept for STALE_IF_ERROR
    inject_fault(short_sandbox, path_prefix="/", latency=HANG, duration=HANG)

    with ThreadPoolExecutor(16) as pool:
        unseen = [pool.submit(timed_get, f"{gunicorn}/api/v1/products/unseen-{n}") for n in range(24)]
        time.sleep(0.5)  # as many of them as may are waiting on the upstream
        for moment in ("while calls hang", "once the breaker is open"):
            for url in (gunicorn + "/healthz", page):
                status, took = timed_get(url)
                assert status == 200 and took < AT_ONCE, (moment, url, status, took)
            time.sleep(3)
        answers = [f.result() for f in unseen]
    # Each failed: at once (calls in flight capped, or the breaker open), or after one timeout.
    assert all(status in (503, 504) for status, _ in answers), answers
    assert max(took for _, took in answers) < 2.5 + AT_ONCE, answers
    assert upstream_calls(gunicorn) - before <= 4 + 1  # the cap on calls in flight, and a probe

    # The upstream is back: a single probe finds it well, and the breaker closes for everyone.
    requests.delete(short_sandbox + "/_sandbox/faults", timeout=10).raise_for_status()
    wait_for(lambda: requests.get(f"{gunicorn}/api/v1/products/unseen-0", timeout=10).status_code == 404,
             "the upstream asked again", bound=15)
    assert requests.get(f"{gunicorn}/api/v1/products/test-1-media", timeout=10).status_code == 200

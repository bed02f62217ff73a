"""Shared fixtures: a real Redis and a real sandbox process, both on real sockets."""
import os
import socket
import subprocess
import sys
import time

import pytest
import requests

SANDBOX_KEY = "sandbox"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url, proc, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args} exited with {proc.returncode}")
        try:
            requests.get(url, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within {timeout}s")


def start_sandbox(*args, shard_links=True):
    """A sandbox process of our own (e.g. `--max-age 2`); returns (url, process).

    Its API links are on Olapic's shard hosts, which resolve nowhere, as the real API's are: every
    suite that walks a gallery through the service so proves that the client follows them by path."""
    port = free_port()
    args = [*args, "--shard-links"] if shard_links else list(args)
    proc = subprocess.Popen([sys.executable, "-m", "sandboxes.olapic", "--port", str(port), *args])
    url = f"http://127.0.0.1:{port}"
    wait_for_http(url + "/_sandbox/catalogue", proc)
    return url, proc


def stop(proc):
    proc.terminate()
    proc.wait(10)


def wait_for(condition, what, bound=10):
    """Poll `condition` until it holds; fail, saying `what` never happened, after `bound` seconds."""
    deadline = time.monotonic() + bound
    while not condition():
        assert time.monotonic() < deadline, f"still not {what} after {bound}s"
        time.sleep(0.05)


@pytest.fixture(scope="session")
def sandbox_url():
    """Base URL of a sandbox process, e.g. http://127.0.0.1:40123."""
    url, proc = start_sandbox("--api-key", SANDBOX_KEY)
    yield url
    stop(proc)


@pytest.fixture
def sandbox(sandbox_url):
    """The sandbox, reset to its seeded state before the test."""
    requests.post(sandbox_url + "/_sandbox/reset", timeout=10).raise_for_status()
    return sandbox_url


@pytest.fixture(scope="session")
def short_sandbox_url():
    """A sandbox whose answers are fresh for 2 s only, for expiry tests (requests-cache uses the real clock)."""
    url, proc = start_sandbox("--max-age", "2")
    yield url
    stop(proc)


@pytest.fixture
def short_sandbox(short_sandbox_url):
    requests.post(short_sandbox_url + "/_sandbox/reset", timeout=10).raise_for_status()
    return short_sandbox_url


@pytest.fixture
def catalogue(sandbox):
    return requests.get(sandbox + "/_sandbox/catalogue", timeout=10).json()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """REDIS_URL when set (its database is emptied by the tests), else a throwaway real Redis."""
    url = os.environ.get("REDIS_URL")
    if not url:
        from gallery.embedded import start_redis

        url = start_redis(str(tmp_path_factory.mktemp("redis")))
    return url


def make_app(sandbox, redis_url, **overrides):
    """The service in sandbox mode against `sandbox`, on an emptied Redis database."""
    from gallery import create_app

    app = create_app({
        "TESTING": True,
        "SANDBOX_MODE": True,
        "OLAPIC_API_KEY": SANDBOX_KEY,
        "OLAPIC_API_URL": sandbox,
        "REDIS_URL": redis_url,
        **overrides,
    })
    app.extensions["redis"].flushdb()
    return app


@pytest.fixture
def app(sandbox, redis_url):
    return make_app(sandbox, redis_url)


@pytest.fixture
def client(app):
    return app.test_client()

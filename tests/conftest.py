"""Shared fixtures: a real Redis and a real sandbox process, both on real sockets. The helpers behind
them live in tests/support/ (one copy of each)."""
import pytest

from tests.support import sandboxes
from tests.support.app import make_app as _make_app
from tests.support.processes import free_port, stop, wait_for  # noqa: F401 - re-exported for the suites

SANDBOX_KEY = "sandbox"


def olapic_args(*args, shard_links=True):
    """The options of an Olapic sandbox process of ours (`args`, e.g. `--max-age 2`, and shard links).

    Its API links are on Olapic's shard hosts, which resolve nowhere, as the real API's are: every
    suite that walks a gallery through the service so proves that the client follows them by path."""
    return ("olapic", *args, *(["--shard-links"] if shard_links else []))


def start_sandbox(*args, shard_links=True):
    """An Olapic sandbox process of our own; returns (url, process). Prefer `running_sandbox`."""
    return sandboxes.start(*olapic_args(*args, shard_links=shard_links))


def running_sandbox(*args, shard_links=True):
    """`with running_sandbox("--max-age", "2") as url:` an Olapic sandbox process of our own."""
    return sandboxes.running(*olapic_args(*args, shard_links=shard_links))


@pytest.fixture(scope="session")
def sandbox_url():
    """Base URL of a sandbox process, e.g. http://127.0.0.1:40123."""
    with running_sandbox("--api-key", SANDBOX_KEY) as url:
        yield url


@pytest.fixture
def sandbox(sandbox_url):
    """The sandbox, reset to its seeded state before the test."""
    return sandboxes.reset(sandbox_url)


@pytest.fixture(scope="session")
def short_sandbox_url():
    """A sandbox whose answers are fresh for 2 s only, for expiry tests (requests-cache uses the real clock)."""
    with running_sandbox("--max-age", "2") as url:
        yield url


@pytest.fixture
def short_sandbox(short_sandbox_url):
    return sandboxes.reset(short_sandbox_url)


@pytest.fixture
def catalogue(sandbox):
    return sandboxes.catalogue(sandbox)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """REDIS_URL when set (its database is emptied by the tests), else a throwaway real Redis."""
    import os

    url = os.environ.get("REDIS_URL")
    if not url:
        from gallery.embedded import start_redis

        url = start_redis(str(tmp_path_factory.mktemp("redis")))
    return url


def make_app(sandbox, redis_url, **overrides):
    """The service in sandbox mode against the Olapic API at `sandbox` (a sandbox, or a server of
    recorded answers), on an emptied Redis database."""
    return _make_app(redis_url, **{"OLAPIC_API_KEY": SANDBOX_KEY, "OLAPIC_API_URL": sandbox, **overrides})


@pytest.fixture
def app(sandbox, redis_url):
    return make_app(sandbox, redis_url)


@pytest.fixture
def client(app):
    return app.test_client()

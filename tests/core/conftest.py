"""Fixtures for the core tests. Shared by the upstream and HTTP-layer suites: add, don't remove."""
import secrets

import pytest

from tests.conftest import running_sandbox
from tests.support import sandboxes
from tests.support.app import make_app
from tests.support.processes import RedisServer, redis_connection, stop  # noqa: F401 - re-exported


@pytest.fixture
def upstream_log(sandbox):
    """Read the sandbox's request log: `upstream_log()` or `upstream_log("/streams")` → list of requests."""
    return lambda path_prefix=None: sandboxes.requests_log(sandbox, path_prefix)


@pytest.fixture(scope="session")
def secret_api_key():
    """A long random key, distinctive enough that finding it anywhere can only mean a leak."""
    return secrets.token_hex(20)


@pytest.fixture(scope="session")
def secret_sandbox_url(secret_api_key):
    with running_sandbox("--api-key", secret_api_key) as url:
        yield url


@pytest.fixture
def secret_app(secret_sandbox_url, secret_api_key, redis_url):
    """An app in production mode (a real-looking key, no sandbox defaults) against its own sandbox."""
    return make_app(redis_url, sandboxes.reset(secret_sandbox_url), sandbox_mode=False, SECRET_KEY=secrets.token_hex(16),
                    CORS_ORIGINS=["https://shop.example"])


# -- the upstream layer (gallery/upstream, gallery/sources/olapic) ------------------------------------


@pytest.fixture
def redis_client(redis_url):
    """A Redis client configured like the app's, on an emptied database."""
    client = redis_connection(redis_url)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture
def make_client(redis_client):
    """`make_client(sandbox_url, **options)` → an OlapicClient on the test Redis, closed afterwards."""
    from gallery.sources.olapic import OlapicClient

    clients = []

    def make(api_url, api_key="sandbox", redis_client=redis_client, **options):
        options = {"connect_timeout": 1.0, "read_timeout": 2.5, **options}
        client = OlapicClient(api_url=api_url, api_key=api_key, redis_client=redis_client, **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def olapic(make_client, sandbox):
    return make_client(sandbox)


@pytest.fixture
def source(olapic):
    from gallery.sources.olapic import OlapicCatalogue

    return OlapicCatalogue(olapic)


inject_fault = sandboxes.fault  # e.g. inject_fault(url, path_prefix="/streams", status=503)
sandbox_requests = sandboxes.requests_log


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.proc.poll() is None:
        server.stop()

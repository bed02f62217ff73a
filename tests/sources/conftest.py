"""The sources' contract suite: every source against its own sandbox processes, one row per source.

A new source adds one Row to ROWS: its provider name, its sandbox module, the sandbox options that
set a distinctive secret and a short freshness, and which of its catalogue's credentials are secret.
"""
import secrets
from dataclasses import dataclass

import pytest
import redis

from tests.support import sandboxes
from tests.support.app import make_app
from tests.support.processes import stop


@dataclass(frozen=True)
class Row:
    provider: str  # as in `provider` and `providers=`
    sandbox: str  # python -m sandboxes.<sandbox>
    secret_args: object  # secret -> the sandbox options that make it require that secret
    short_args: tuple  # sandbox options for answers fresh 2 s only
    secret_settings: tuple  # the catalogue's credentials that must never leak
    id_prefix: str = ""
    extra_args: tuple = ()  # sandbox options for every process of this row


ROWS = [
    # Links on Olapic's shard hosts, as the real API's are: walks prove they are followed by path.
    Row("olapic", "olapic", lambda secret: ("--api-key", secret), ("--max-age", "2"), ("OLAPIC_API_KEY",),
        extra_args=("--shard-links",)),
    Row("mediagraph", "mediagraph", lambda secret: ("--token", secret), ("--max-age", "2"), ("MEDIAGRAPH_TOKEN",),
        "mg-"),
    Row("acquia_dam", "acquia_dam", lambda secret: ("--client-secret", secret, "--password", f"pw-{secret}"),
        ("--max-age", "2"), ("ACQUIA_DAM_CLIENT_SECRET", "ACQUIA_DAM_PASSWORD"), "ad-"),
    Row("momapix", "momapix", lambda secret: ("--api-key", secret, "--password", f"pw-{secret}"),
        ("--cache-seconds", "2"), ("MOMAPIX_API_KEY", "MOMAPIX_PASSWORD"), "mpx-"),
]

GENEROUS = {name: "10000 per minute" for name in
            ("UPLOAD_LIMITS_PER_IP", "UPLOAD_LIMITS_PER_EMAIL", "REPORT_LIMITS_PER_IP", "REPORT_LIMITS_PER_EMAIL")}


@pytest.fixture
def rdb(redis_url):
    """The test's Redis database, emptied (the sources' own suites build sources on it)."""
    r = redis.Redis.from_url(redis_url)
    r.flushdb()
    return r


@pytest.fixture(scope="session", params=ROWS, ids=lambda row: row.provider)
def row(request):
    return request.param


@pytest.fixture(scope="session")
def secret():
    return secrets.token_hex(20)


@pytest.fixture(scope="session")
def row_sandbox_url(row, secret):
    url, proc = sandboxes.start(row.sandbox, *row.secret_args(secret), *row.extra_args)
    yield url
    stop(proc)


@pytest.fixture(scope="session")
def row_short_sandbox_url(row):
    url, proc = sandboxes.start(row.sandbox, *row.short_args, *row.extra_args)
    yield url
    stop(proc)


@pytest.fixture
def row_sandbox(row_sandbox_url):
    sandboxes.reset(row_sandbox_url)
    return row_sandbox_url


@pytest.fixture
def row_catalogue(row_sandbox):
    return sandboxes.catalogue(row_sandbox)


@pytest.fixture
def row_app(row, row_sandbox, redis_url):
    """The service in production mode (the row's real-looking secret), its provider listed first."""
    return make_app(redis_url, row_sandbox, sandbox_mode=False, GALLERY_PROVIDERS=[row.provider],
                    SECRET_KEY=secrets.token_hex(16), **GENEROUS)


@pytest.fixture
def row_client(row_app):
    return row_app.test_client()

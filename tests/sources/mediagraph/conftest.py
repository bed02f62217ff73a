"""Fixtures for the Mediagraph source: its sandbox process, and the source built against it on a real Redis."""
import pytest
import requests

from gallery.sources.mediagraph import build, settings
from tests.support import sandboxes
from tests.support.sources import BASE_CONFIG, built
from tests.support.app import make_app

WEBHOOK_SECRET = "mg-test-webhook-secret"
GENEROUS = {name: "10000 per minute" for name in
            ("UPLOAD_LIMITS_PER_IP", "UPLOAD_LIMITS_PER_EMAIL", "REPORT_LIMITS_PER_IP", "REPORT_LIMITS_PER_EMAIL")}


@pytest.fixture(scope="session")
def mediagraph_url():
    with sandboxes.running("mediagraph", "--processing-seconds", "2") as url:
        yield url


@pytest.fixture
def mediagraph(mediagraph_url):
    """The sandbox, reset to its seeded state."""
    return sandboxes.reset(mediagraph_url)


@pytest.fixture
def mg_catalogue(mediagraph):
    return sandboxes.catalogue(mediagraph)


def source_config(mediagraph, **overrides):
    """The source's settings for its sandbox (the catalogue's credentials), plus `overrides`."""
    return {**BASE_CONFIG, **settings.from_env({}, mediagraph), **sandboxes.credentials(mediagraph), **overrides}


@pytest.fixture
def make_source(mediagraph, rdb):
    with built(build, lambda **overrides: source_config(mediagraph, **overrides), rdb) as make:
        yield make


def app_for(mediagraph, redis_url, **overrides):
    """The service in production mode against the sandbox, Mediagraph first and taking uploads."""
    return make_app(redis_url, mediagraph, sandbox_mode=False, **{
        "GALLERY_PROVIDERS": ["mediagraph"], "UPLOAD_PROVIDER": "mediagraph", "UPLOAD_RETRY_DELAYS": [1, 1, 1, 1, 1],
        "MEDIAGRAPH_WEBHOOK_SECRET": WEBHOOK_SECRET, **GENEROUS, **overrides})


def log(mediagraph, prefix="/api"):
    return sandboxes.requests_log(mediagraph, prefix)


def operator(mediagraph, method, path, **kwargs):
    response = requests.request(method, f"{mediagraph}/_sandbox{path}", timeout=10, **kwargs)
    response.raise_for_status()
    return response.json()

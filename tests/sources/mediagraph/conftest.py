"""Fixtures for the Mediagraph source: its sandbox process, and the source built against it on a real Redis."""
import pytest
import requests

from gallery import settings as service_settings
from gallery.sources.mediagraph import build, settings
from tests.support import sandboxes
from tests.support.app import make_app
from tests.support.processes import stop

# The service's own defaults for everything that is not Mediagraph's (timeouts, stale windows, breaker).
BASE_CONFIG = service_settings.from_env({})
WEBHOOK_SECRET = "mg-test-webhook-secret"
GENEROUS = {name: "10000 per minute" for name in
            ("UPLOAD_LIMITS_PER_IP", "UPLOAD_LIMITS_PER_EMAIL", "REPORT_LIMITS_PER_IP", "REPORT_LIMITS_PER_EMAIL")}


@pytest.fixture(scope="session")
def mediagraph_url():
    url, proc = sandboxes.start("mediagraph", "--processing-seconds", "2")
    yield url
    stop(proc)


@pytest.fixture
def mediagraph(mediagraph_url):
    """The sandbox, reset to its seeded state."""
    sandboxes.reset(mediagraph_url)
    return mediagraph_url


@pytest.fixture
def mg_catalogue(mediagraph):
    return sandboxes.catalogue(mediagraph)


def source_config(mediagraph, **overrides):
    """The source's settings for its sandbox (the catalogue's credentials), plus `overrides`."""
    return {**BASE_CONFIG, **settings.from_env({}, mediagraph), **sandboxes.credentials(mediagraph), **overrides}


@pytest.fixture
def make_source(mediagraph, rdb):
    built = []

    def make(**overrides):
        source = build(source_config(mediagraph, **overrides), rdb)
        built.append(source)
        return source

    yield make
    for source in built:
        source.close()


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


def walk(catalogue, tag_key, sort="recent", limit=100):
    ids, state = [], None
    while True:
        page = catalogue.product_media(tag_key, sort, limit, {}, state)
        ids += [m["id"] for m in page.items]
        state = page.next_state
        if state is None:
            return ids

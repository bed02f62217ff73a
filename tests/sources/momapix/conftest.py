"""Fixtures for the MomaPIX source: its sandbox process, and the source built against it on a real Redis."""
import pytest
import requests

from gallery import settings as service_settings
from gallery.sources.momapix import build, settings
from tests.support import sandboxes
from tests.support.processes import stop

# The service's own defaults for everything that is not MomaPIX's (timeouts, stale windows, breaker).
BASE_CONFIG = service_settings.from_env({})


@pytest.fixture(scope="session")
def momapix_url():
    url, proc = sandboxes.start("momapix", "--expires-in", "3600")
    yield url
    stop(proc)


@pytest.fixture
def momapix(momapix_url):
    """The sandbox, reset to its seeded state."""
    sandboxes.reset(momapix_url)
    return momapix_url


@pytest.fixture
def mpx_catalogue(momapix):
    return sandboxes.catalogue(momapix)


def source_config(momapix, **overrides):
    """The source's settings in sandbox mode (the sandbox's own credentials), plus `overrides`."""
    return {**BASE_CONFIG, **settings.from_env({}, momapix), **overrides}


@pytest.fixture
def make_source(momapix, rdb):
    built = []

    def make(**overrides):
        source = build(source_config(momapix, **overrides), rdb)
        built.append(source)
        return source

    yield make
    for source in built:
        source.close()


def sessions(momapix):
    return requests.get(momapix + "/_sandbox/sessions", timeout=10).json()


def log(momapix, prefix="/rest"):
    return sandboxes.requests_log(momapix, prefix)


def walk(catalogue, tag_key, sort="recent", limit=100):
    ids, state = [], None
    while True:
        page = catalogue.product_media(tag_key, sort, limit, {}, state)
        ids += [m["id"] for m in page.items]
        state = page.next_state
        if state is None:
            return ids

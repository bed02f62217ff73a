"""Fixtures for the Acquia DAM source: its sandbox process, and the source built against it on a real Redis."""
import pytest
import requests

from gallery import settings as service_settings
from gallery.sources.acquia_dam import build, settings
from tests.support import sandboxes
from tests.support.processes import stop

# The service's own defaults for everything that is not Acquia DAM's (timeouts, stale windows, breaker).
BASE_CONFIG = service_settings.from_env({})


@pytest.fixture(scope="session")
def acquia_url():
    url, proc = sandboxes.start("acquia_dam")
    yield url
    stop(proc)


@pytest.fixture
def acquia(acquia_url):
    """The sandbox, reset to its seeded state."""
    sandboxes.reset(acquia_url)
    return acquia_url


@pytest.fixture
def ad_catalogue(acquia):
    return sandboxes.catalogue(acquia)


def source_config(acquia, **overrides):
    """The source's settings in sandbox mode (the sandbox's own credentials), plus `overrides`."""
    return {**BASE_CONFIG, **settings.from_env({}, acquia), **overrides}


@pytest.fixture
def make_source(acquia, rdb):
    built = []

    def make(url=None, **overrides):
        source = build(source_config(url or acquia, **overrides), rdb)
        built.append(source)
        return source

    yield make
    for source in built:
        source.close()


def grants(acquia):
    """How many tokens the sandbox granted, by grant type."""
    return requests.get(acquia + "/_sandbox/tokens", timeout=10).json()["grants"]


def expire_tokens(acquia, refresh=False):
    requests.post(acquia + "/_sandbox/tokens/expire", json={"refresh": refresh}, timeout=10).raise_for_status()


def add_assets(acquia, folder, count):
    """A curator adds `count` brand photos to `folder` now (they lead datecreated desc)."""
    response = requests.post(acquia + "/_sandbox/assets", json={"folder": folder, "count": count}, timeout=10)
    response.raise_for_status()
    return response.json()["assets"]


def log(acquia, prefix="/folders"):
    return sandboxes.requests_log(acquia, prefix)


def walk(catalogue, tag_key, sort="recent", limit=100, between=None):
    """Every medium id of a walk, in order; `between()` runs after each page."""
    ids, state = [], None
    while True:
        page = catalogue.product_media(tag_key, sort, limit, {}, state)
        ids += [m["id"] for m in page.items]
        state = page.next_state
        if state is None:
            return ids
        if between:
            between()

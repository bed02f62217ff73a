"""Fixtures for the Acquia DAM source: its sandbox process, and the source built against it on a real Redis."""
import pytest
import requests

from gallery.sources.acquia_dam import build, settings
from tests.support import sandboxes
from tests.support.sources import BASE_CONFIG, built



@pytest.fixture(scope="session")
def acquia_url():
    with sandboxes.running("acquia_dam") as url:
        yield url


@pytest.fixture
def acquia(acquia_url):
    """The sandbox, reset to its seeded state."""
    return sandboxes.reset(acquia_url)


@pytest.fixture
def ad_catalogue(acquia):
    return sandboxes.catalogue(acquia)


def source_config(acquia, **overrides):
    """The source's settings in sandbox mode (the sandbox's own credentials), plus `overrides`."""
    return {**BASE_CONFIG, **settings.from_env({}, acquia), **overrides}


@pytest.fixture
def make_source(acquia, rdb):
    with built(build, lambda url=None, **overrides: source_config(url or acquia, **overrides), rdb) as make:
        yield make


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

"""Fixtures for the MomaPIX source: its sandbox process, and the source built against it on a real Redis."""
import pytest
import requests

from gallery.sources.momapix import build, settings
from tests.support import sandboxes
from tests.support.sources import BASE_CONFIG, built



@pytest.fixture(scope="session")
def momapix_url():
    with sandboxes.running("momapix", "--expires-in", "3600") as url:
        yield url


@pytest.fixture
def momapix(momapix_url):
    """The sandbox, reset to its seeded state."""
    return sandboxes.reset(momapix_url)


@pytest.fixture
def mpx_catalogue(momapix):
    return sandboxes.catalogue(momapix)


def source_config(momapix, **overrides):
    """The source's settings in sandbox mode (the sandbox's own credentials), plus `overrides`."""
    return {**BASE_CONFIG, **settings.from_env({}, momapix), **overrides}


@pytest.fixture
def make_source(momapix, rdb):
    with built(build, lambda **overrides: source_config(momapix, **overrides), rdb) as make:
        yield make


def sessions(momapix):
    return requests.get(momapix + "/_sandbox/sessions", timeout=10).json()


def log(momapix, prefix="/rest"):
    return sandboxes.requests_log(momapix, prefix)

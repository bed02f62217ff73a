"""The MomaPIX sandbox conformance suite: one sandbox process on a real socket, reset before each test.

Each test checks a statement of the MomaPIX REST Service 2.0 document ("doc", with its section) or of
the sandbox specification in docs/sandbox.md ("MomaPIX sandbox").
"""
import pytest

from tests.support import sandboxes

from .helpers import Client


@pytest.fixture(scope="session")
def momapix_url():
    with sandboxes.running("momapix", "--expires-in", "3600") as url:
        yield url


@pytest.fixture(scope="session")
def signed_url():
    with sandboxes.running("momapix", "--signed-urls", "600", "--thumb-box", "200", "--preview-box", "800") as url:
        yield url


@pytest.fixture
def base(momapix_url):
    """The sandbox in its seeded state (a reset re-seeds in a few milliseconds)."""
    return sandboxes.reset(momapix_url)


@pytest.fixture
def anon(base):
    """A client with an open session that is not logged in."""
    c = Client(base)
    c.open()
    yield c
    c.http.close()


@pytest.fixture
def mpx(base):
    """A client with an open, logged-in session (client1)."""
    c = Client(base)
    c.open()
    c.login()
    yield c
    c.http.close()


@pytest.fixture
def catalogue(base):
    return sandboxes.catalogue(base)

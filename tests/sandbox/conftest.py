"""Fixtures for the sandbox conformance suite; the helpers themselves live in helpers.py."""
import pytest

from tests.conftest import running_sandbox
from tests.support import sandboxes

from .helpers import Api

# Whether a test may have changed the sandbox's state since the last reset. A reset re-seeds the whole
# catalogue, so read-only tests skip it: every request through `Api` other than GET/HEAD (uploads,
# reports, moderation, clock, faults, log clearing) marks the state dirty, and the next test resets.
_state = {"dirty": True}


def _mark_dirty(resp, *args, **kwargs):
    if resp.request.method not in ("GET", "HEAD"):
        _state["dirty"] = True


@pytest.fixture(scope="session")
def sandbox_url():
    """This suite pins the sandbox's own links, on its own host: no shard links (test_real_shapes covers those)."""
    with running_sandbox(shard_links=False) as url:
        yield url


@pytest.fixture
def sandbox(sandbox_url):
    """The sandbox in its seeded state (overrides tests/conftest.py's fixture to skip needless resets)."""
    if _state["dirty"]:
        sandboxes.reset(sandbox_url)
        _state["dirty"] = False
    return sandbox_url


@pytest.fixture
def fresh_sandbox(sandbox_url):
    """For tests that change the state without going through `api`: reset before and after."""
    _state["dirty"] = True
    return sandboxes.reset(sandbox_url)


@pytest.fixture
def api(sandbox):
    client = Api(sandbox)
    client.session.hooks["response"].append(_mark_dirty)
    yield client
    client.session.close()


@pytest.fixture(scope="session")
def reference_sandbox_url():
    """A sandbox answering with the reference's literal shapes (--shapes reference)."""
    with running_sandbox("--shapes", "reference", shard_links=False) as url:
        yield url


@pytest.fixture
def reference_api(reference_sandbox_url):
    """Read-only tests of the reference's shapes (nothing here changes the state)."""
    client = Api(reference_sandbox_url)
    yield client
    client.session.close()

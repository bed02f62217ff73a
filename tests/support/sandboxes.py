"""Sandbox processes and their operator endpoints (sandboxes/common/operator.py): one API for every
sandbox, addressed by its base URL.

A suite's sandbox fixture is `running(...)` for the process and `reset(url)` between tests:

    @pytest.fixture(scope="session")
    def momapix_url():
        with sandboxes.running("momapix", "--expires-in", "3600") as url:
            yield url

    @pytest.fixture
    def momapix(momapix_url):
        return sandboxes.reset(momapix_url)
"""
from contextlib import ExitStack, contextmanager

import requests

from .processes import free_port, start_python, stop, wait_for_http

TIMEOUT = 10


def start(name="olapic", *args):
    """`python -m sandboxes.<name> --port N <args>` on a free port; returns (url, process)."""
    port = free_port()
    proc = start_python("-m", f"sandboxes.{name}", "--port", str(port), *args)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(url + "/_sandbox/catalogue", proc)
    except RuntimeError:
        stop(proc)
        raise
    return url, proc


@contextmanager
def running(name="olapic", *args):
    """A sandbox process of our own (`start(name, *args)`) for the `with` block; yields its URL."""
    url, proc = start(name, *args)
    try:
        yield url
    finally:
        stop(proc)


@contextmanager
def running_each(specs):
    """`running(name, *args)` for each (name, args) of `specs` at once; yields {name: URL}."""
    with ExitStack() as stack:
        yield {name: stack.enter_context(running(name, *args)) for name, args in specs}


def op(method, url, path, session=None, **kwargs):
    """`method` on the operator endpoint /_sandbox<path> (through `session` if given); asserts that it
    succeeded and returns the response."""
    http = session or requests
    response = http.request(method, f"{url}/_sandbox{path}", timeout=kwargs.pop("timeout", TIMEOUT), **kwargs)
    assert response.status_code < 300, f"{method} /_sandbox{path} -> {response.status_code}: {response.text[:300]}"
    return response


def _op(method, url, path, **kwargs):
    return op(method, url, path, **kwargs).json()


def reset(url, session=None):
    """Back to the seeded state: catalogue, moderation, clock, faults and request log. Returns `url`."""
    op("POST", url, "/reset", session=session, timeout=60)
    return url


def catalogue(url):
    """What the sandbox holds. Every sandbox lists `credentials` (the settings the service needs for
    it), `products` (tag key -> {id, media}) and `hidden_media` (ids never to be shown)."""
    return _op("GET", url, "/catalogue")


def requests_log(url, path_prefix=None):
    """The requests the sandbox answered (secrets redacted), oldest first."""
    params = {"path_prefix": path_prefix} if path_prefix else None
    return _op("GET", url, "/requests", params=params)["requests"]


def clear_requests(url):
    _op("DELETE", url, "/requests")


def fault(url, **spec):
    """Inject a fault, e.g. fault(url, path_prefix="/streams", status=429, headers={"Retry-After": "7"})."""
    return _op("POST", url, "/faults", json=spec)


def clear_faults(url):
    _op("DELETE", url, "/faults")


def advance(url, seconds):
    """Move the sandbox clock forward."""
    return _op("POST", url, "/clock", json={"advance": seconds})


def moderation(url):
    """Media waiting in the sandbox's moderation (review) queue."""
    return _op("GET", url, "/moderation")["media"]


def credentials(url):
    return catalogue(url)["credentials"]

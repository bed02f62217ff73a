"""Sandbox processes and their operator endpoints (sandboxes/common/operator.py): one API for every
sandbox, addressed by its base URL."""
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


def _op(method, url, path, **kwargs):
    response = requests.request(method, f"{url}/_sandbox{path}", timeout=kwargs.pop("timeout", TIMEOUT), **kwargs)
    response.raise_for_status()
    return response.json()


def reset(url):
    """Back to the seeded state: catalogue, moderation, clock, faults and request log."""
    _op("POST", url, "/reset", timeout=60)


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

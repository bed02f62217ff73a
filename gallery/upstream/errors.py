"""One mapping from transport failures to source errors, used by reads and writes alike."""
import requests

from ..media.models import UpstreamError

RETRY_AFTER = 5  # seconds we wait (and suggest) after an upstream failure, when it does not say
MAX_RETRY_AFTER = 3600  # an upstream's Retry-After is believed up to this many seconds


class BadResponse(requests.RequestException):
    """The upstream answered something other than its documented shape (garbage, truncated, a redirect)."""


class ServerError(requests.HTTPError):
    """The upstream answered 5xx or 429: a failure, never an answer to cache. `status`: the upstream's
    own (an upstream may wrap a 5xx in a 200)."""

    def __init__(self, *args, status=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.status = status or (self.response.status_code if self.response is not None else None)


class CredentialsRefused(requests.HTTPError):
    """The upstream refused our credentials (e.g. 401, a disabled token): never cached as "not found"."""


MESSAGES = {
    "timeout": "The upstream did not answer in time.",
    "bad_response": "The upstream answered something unreadable.",
    "unavailable": "The upstream is unavailable.",
    "credentials": "The upstream refused our credentials.",
}


def retry_after(response):
    """The seconds a response's Retry-After asks for (delta-seconds only), else None."""
    value = response.headers.get("Retry-After", "") if response is not None else ""
    return min(int(value), MAX_RETRY_AFTER) if value.strip().isascii() and value.strip().isdigit() else None


def failure_of_kind(kind, retry=None, answered=False, status=None):
    retry = None if kind == "bad_response" else (retry or RETRY_AFTER)
    message = MESSAGES.get(kind, MESSAGES["unavailable"])
    if status and kind == "unavailable":
        message = f"The upstream answered HTTP {status}: it is failing, try again later."
    return UpstreamError(kind, message, retry, answered, status)


def failure(exc):
    """The UpstreamError for a requests exception raised by a transport."""
    if isinstance(exc, requests.Timeout):
        return failure_of_kind("timeout")
    if isinstance(exc, BadResponse):
        return failure_of_kind("bad_response")  # unreadable: whether a write was applied is unknown
    if isinstance(exc, CredentialsRefused):
        return failure_of_kind("credentials", retry_after(exc.response), True, exc.response.status_code)
    if isinstance(exc, ServerError):
        return failure_of_kind("unavailable", retry_after(exc.response), True, exc.status)
    return failure_of_kind("unavailable")  # connection refused or dropped: no answer seen

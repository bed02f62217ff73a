"""The transport that alone holds one source's credentials (as httpx has one transport interface).

A subclass says how to add its credentials to a request (`authorize`) and how to find them in what
comes back (`redact`). Requests leave only for the configured origin; responses come back attached
to the credential-free request, with the credentials removed from the body, so the cache, the callers
and the logs never hold them. Answers that are failures (5xx, 429, a redirect, a body that is not the
upstream's shape) become exceptions here, so they are never cached.
"""
import time
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from ..media import observe
from .errors import BadResponse, ServerError, failure


def origin(url):
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower()


class CredentialTransport(HTTPAdapter):
    provider = "upstream"  # its metrics' label: the UpstreamClient that mounts it names it after its source

    def __init__(self, api_url, pool_size=16):
        super().__init__(pool_connections=4, pool_maxsize=pool_size, max_retries=0)
        self.origin = origin(api_url)

    # What a source overrides ----------------------------------------------------------------

    def authorize(self, request):
        """Add the credentials to `request` (a copy, prepared): a query parameter, a header..."""

    def redact(self, data):
        """`data` (bytes or str) without any credential in it."""
        return data

    def check(self, response):
        """Raise BadResponse when the body is not the upstream's documented shape (the status was checked)."""

    # The rest is the same for every source -----------------------------------------------------

    def send(self, request, **kwargs):
        if origin(request.url) != self.origin:  # the credentials go to the configured upstream only
            raise requests.exceptions.InvalidURL("not the configured upstream", request=request)
        keyed = request.copy()
        self.authorize(keyed)
        started, outcome = time.perf_counter(), "ok"
        try:
            return self._send(request, keyed, **kwargs)
        except requests.RequestException as exc:
            outcome = failure(exc).kind  # timeout, unavailable (5xx, 429, no answer), bad_response, credentials
            raise
        finally:
            observe.upstream_call(self.provider, outcome, time.perf_counter() - started)

    def _send(self, request, keyed, **kwargs):
        try:
            response = super().send(keyed, **kwargs)
            response.request, response.url = request, request.url
            if response.status_code == 304:
                return response
            response._content = self.redact(response.content)
        except requests.RequestException as exc:
            # Exception texts may carry the keyed URL: rebuild them without it.
            if isinstance(exc, requests.exceptions.ChunkedEncodingError):
                exc = BadResponse(f"truncated answer: {exc}")
            raise type(exc)(self.redact(str(exc)), request=request) from None
        status = response.status_code
        if 300 <= status < 400:  # never followed: a redirect could lead anywhere, the credentials with it
            raise BadResponse(f"upstream answered {status} (a redirect)")
        if status >= 500 or status == 429:
            raise ServerError(f"upstream answered {status}", response=response)
        self.check(response)
        return response

    def status(self, response, body):
        """The upstream's own status of an answer (Olapic wraps it in metadata.code)."""
        return response.status_code

"""The transport to the Acquia DAM REST API v2 that alone holds the seat's credentials: the bearer
token (a TokenStore) and, through it, the client secret and password. It adds the bearer to a copy of
each request, removes every credential from whatever comes back, refreshes once and retries once on
a 401, and reads bodies as a tolerant reader (the document's samples are not always JSON)."""
import json
import re
import threading

from ...upstream.errors import BadResponse, CredentialsRefused
from ...upstream.transport import CredentialTransport

REDACTED = b"[redacted]"
# The API names no caching headers; should an installation send some, they must not decide how long
# answers holding expiring thumbnail URLs live, nor revalidate an entry (its URLs would not be renewed).
CACHING_HEADERS = ("Cache-Control", "Expires", "ETag", "Last-Modified", "Pragma")
# The document's asset samples write "thumbnailurls": { {...}, {...} }: a list in braces.
_BRACED_LIST = re.compile(rb'("thumbnailurls"\s*:\s*)\{(\s*\{[^{}]*\}(?:\s*,\s*\{[^{}]*\})*\s*)\}')


def repaired(content):
    """`content` as JSON text: itself when it parses, else with the document's braced lists made
    lists; None when it is not JSON even then."""
    for text in (content, _BRACED_LIST.sub(rb"\1[\2]", content)):
        try:
            json.loads(text)
            return text
        except ValueError:
            continue
    return None


class AcquiaDamTransport(CredentialTransport):
    def __init__(self, api_url, tokens, keeper, secrets=(), pool_size=16):
        """`tokens`: the TokenStore of the access token; `keeper`: its OAuthKeeper (for the tokens to
        redact); `secrets`: the client secret and the password."""
        super().__init__(api_url, pool_size)
        self._tokens, self._keeper = tokens, keeper
        self._secrets = [s.encode() for s in secrets if s]
        self._used = threading.local()

    def authorize(self, request):
        token = self._tokens.get()
        self._used.token = token
        request.headers["Authorization"] = f"Bearer {token}"
        request.headers.setdefault("Accept", "application/json")

    def send(self, request, **kwargs):
        response = super().send(request, **kwargs)
        if response.status_code == 401:
            # Expired or revoked: forget it, once; the next token comes from the refresh grant.
            self._tokens.invalidate(self._used.token)
            response = super().send(request, **kwargs)
            if response.status_code == 401:
                raise CredentialsRefused("Acquia DAM refused a fresh access token (401)", response=response)
        for name in CACHING_HEADERS:
            response.headers.pop(name, None)
        return response

    def redact(self, data):
        text = data.encode() if isinstance(data, str) else data
        token = getattr(self._used, "token", None)
        for secret in self._secrets + [t.encode() for t in self._keeper.tokens()] + ([token.encode()] if token else []):
            text = text.replace(secret, REDACTED)
        return text.decode() if isinstance(data, str) else text

    def check(self, response):
        if response.status_code == 204 or not response.content.strip():
            return
        text = repaired(response.content)
        if text is None:
            raise BadResponse(f"Acquia DAM answered {response.status_code} with a body that is not JSON")
        if not isinstance(json.loads(text), (dict, list)):
            raise BadResponse(f"Acquia DAM answered {response.status_code} with JSON that is not a document")
        response._content = text

"""The transport to a MomaPIX installation that alone holds its credentials: the Apikey, the shared
session token (a TokenStore) and, through it, the login. It adds them to a copy of each request,
removes them from whatever comes back, re-opens the session once on a 401, and refuses bodies that
are not JSON, so that none is ever cached."""
import json
import threading

from ...upstream.errors import BadResponse, CredentialsRefused
from ...upstream.transport import CredentialTransport
from .session import ACCEPT

REDACTED = b"[redacted]"


class MomapixTransport(CredentialTransport):
    def __init__(self, api_url, api_key, tokens, secrets=(), pool_size=16):
        """`tokens`: the TokenStore of the session token; `secrets`: more values never to let through
        (the password)."""
        super().__init__(api_url, pool_size)
        self._api_key, self._tokens = api_key, tokens
        self._secrets = [s.encode() for s in (api_key, *secrets) if s]
        self._used = threading.local()

    def authorize(self, request):
        token = self._tokens.get()
        self._used.token = token
        request.headers["Accept"] = ACCEPT
        request.headers["Apikey"] = self._api_key
        request.headers["Authorization"] = f"Bearer {token}"

    def send(self, request, **kwargs):
        response = super().send(request, **kwargs)
        if response.status_code != 401:
            return response
        # Our token was ended (expired, superseded, logged out): forget it, once, and try the next.
        self._tokens.invalidate(self._used.token)
        response = super().send(request, **kwargs)
        if response.status_code == 401:
            raise CredentialsRefused("MomaPIX refused a fresh session (401)", response=response)
        return response

    def redact(self, data):
        text = data.encode() if isinstance(data, str) else data
        token = getattr(self._used, "token", None)
        for secret in self._secrets + ([token.encode()] if token else []):
            text = text.replace(secret, REDACTED)
        return text.decode() if isinstance(data, str) else text

    def check(self, response):
        if response.status_code == 204 or not response.content:
            return
        try:
            body = json.loads(response.content)
        except ValueError:
            raise BadResponse(f"MomaPIX answered {response.status_code} with a body that is not JSON") from None
        if not isinstance(body, dict):
            raise BadResponse(f"MomaPIX answered {response.status_code} with JSON that is not a document")
        if response.status_code == 406:  # our Accept was refused: a bug or an API version we do not speak
            raise BadResponse("MomaPIX refused our Accept header (406)")

"""The API seat's OAuth2 tokens (REST API v2 "Authentication"): the password grant gives an access
token (an hour, `expires_in`) and a refresh token; `grant_type=refresh_token` renews both.

OAuthKeeper() is TokenStore's `fetch` (gallery/upstream/tokens.py): the access token is shared by
every worker and instance through Redis and obtained under single flight, so N cold workers make one
token request. Each renewal first tries the refresh token kept beside it in Redis (rotated whenever
a new one comes back); when the refresh is refused (expired, revoked, already used by a waiter that
gave up on the flight), it falls back to the password grant. A token is shared until a quarter of
its life (at most 5 minutes) before it expires, so it is renewed before any call can meet its expiry.
"""
import collections
import json
import logging
import threading

import redis
import requests

from ...upstream.errors import BadResponse, CredentialsRefused, ServerError
from ...upstream.reading import positive_int

log = logging.getLogger(__name__)

REFRESH_KEY = "gallery:token:acquia_dam:refresh"  # hash {refresh, access}: the main Redis, never a cache
EARLY = 300  # seconds before expires_in runs out that a token stops being shared, at most
LIFE = 3600  # the documented hour, when expires_in is missing or odd (numbers may come as strings)


class OAuthKeeper:
    def __init__(self, api_url, client_id, client_secret, username, password, redis_client, timeout=(1.0, 2.5)):
        self._url = f"{api_url}/oauth2/token"
        self._client = {"client_id": client_id, "client_secret": client_secret}
        self._login = {"username": username, "password": password}
        self._redis, self._timeout = redis_client, timeout
        self._http = requests.Session()
        self._http.trust_env = False
        self._seen = collections.deque(maxlen=8)  # tokens this process held: redacted from what comes back
        self._lock = threading.Lock()

    def __call__(self):
        """(access token, seconds it may be shared)."""
        refresh, access = self._stored()
        if refresh:
            try:
                return self._keep(self._grant({"grant_type": "refresh_token", "refresh_token": refresh}, access))
            except (CredentialsRefused, BadResponse) as exc:
                log.info("acquia_dam: the refresh token was refused (%s): password grant", type(exc).__name__)
        return self._keep(self._grant({"grant_type": "password", **self._login}))

    def tokens(self):
        """The tokens this process has held, newest last (the transport redacts them)."""
        with self._lock:
            return list(self._seen)

    def _stored(self):
        try:
            stored = self._redis.hgetall(REFRESH_KEY)
        except redis.RedisError:
            return None, None
        return (stored.get(b"refresh", b"").decode() or None), (stored.get(b"access", b"").decode() or None)

    def _grant(self, form, bearer=None):
        # The document's refresh curl sends the expiring access token as a bearer too.
        headers = {"Accept": "application/json", **({"Authorization": f"Bearer {bearer}"} if bearer else {})}
        try:
            resp = self._http.post(self._url, data={**form, **self._client}, headers=headers,
                                   timeout=self._timeout, allow_redirects=False)
        except requests.RequestException as exc:
            raise type(exc)(f"Acquia DAM token request: {type(exc).__name__}") from None  # no body, no header
        if resp.status_code >= 500 or resp.status_code == 429:
            raise ServerError(f"Acquia DAM token endpoint answered {resp.status_code}", response=resp)
        if resp.status_code in (400, 401, 403):  # invalid_client, invalid_grant...: never retried in a loop
            raise CredentialsRefused(f"Acquia DAM refused the {form['grant_type']} grant ({resp.status_code}: "
                                     f"{_error(resp)})", response=resp)
        if resp.status_code != 200:
            raise BadResponse(f"Acquia DAM token endpoint answered {resp.status_code}")
        try:
            body = json.loads(resp.content)
            access, seconds = body["access_token"], positive_int(body.get("expires_in")) or LIFE
        except (ValueError, KeyError, TypeError):
            raise BadResponse("Acquia DAM answered a token that is not the documented JSON") from None
        if not isinstance(access, str) or not access:
            raise BadResponse("Acquia DAM answered an empty access token")
        refresh = body.get("refresh_token") if isinstance(body.get("refresh_token"), str) else None
        return access, seconds, refresh

    def _keep(self, granted):
        access, seconds, refresh = granted
        with self._lock:
            self._seen.extend(t for t in (access, refresh) if t)
        try:
            if refresh:  # rotation is undocumented: keep whichever came last
                self._redis.hset(REFRESH_KEY, mapping={"refresh": refresh, "access": access})
            else:
                self._redis.hset(REFRESH_KEY, "access", access)
        except redis.RedisError:
            pass
        return access, seconds - min(EARLY, seconds // 4)

    def close(self):
        self._http.close()


def _error(resp):
    try:
        error = json.loads(resp.content).get("error")
    except (ValueError, AttributeError):
        return "no OAuth2 error"
    return str(error)[:60] if error else "no OAuth2 error"

"""MomaPIX's session token: one for the whole deployment, in Redis, never re-opened needlessly.

The trap (MomaPIX REST 2.0, "First connection to fetch Bearer Token"): a GET /rest/session without a
bearer allocates a new token and ends the current one. So every process reads the one token from
Redis (gallery.upstream.tokens.TokenStore: one login at a time, under single flight), and a token is
only ever replaced when it stopped working:

- it is kept alive: the token's Redis entry lasts half its ExpiresIn; when it lapses, the next
  login() first renews the previous token with a bearered GET /rest/session, which extends it
  without ending anyone's;
- only when that fails (expired, superseded, logged out) does it open a new session and log in;
- a 401 on any call invalidates the token once and retries with the next one (transport.py).
"""
import json
import logging

import redis
import requests

from ...upstream.errors import BadResponse, CredentialsRefused, ServerError
from ...upstream.reading import positive_int

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/vnd.api+json"
ACCEPT = "application/vnd.api+json; version=2.0"
LAST_KEY = "gallery:token:momapix:last"  # the token to renew when the shared entry lapses
LIFE = 3600  # seconds a session lasts when ExpiresIn is missing or odd (numbers may come as strings)


class SessionKeeper:
    """login() -> (token, seconds it may be shared): TokenStore's `fetch`."""

    def __init__(self, api_url, api_key, username, password, redis_client, timeout=(1.0, 2.5)):
        self._url, self._key = api_url, api_key
        self._username, self._password = username, password
        self._redis, self._timeout = redis_client, timeout
        self._http = requests.Session()
        self._http.trust_env = False
        self.opened = 0  # sessions this process opened (for tests and metrics)

    def __call__(self):
        previous = self._previous()
        if previous:
            renewed = self._renew(previous)
            if renewed:
                return renewed
        return self._open()

    def _previous(self):
        try:
            stored = self._redis.get(LAST_KEY)
        except redis.RedisError:
            return None
        return stored.decode() if stored else None

    def _remember(self, token, seconds):
        try:
            self._redis.set(LAST_KEY, token, ex=max(1, int(seconds)))
        except redis.RedisError:
            pass

    def _renew(self, token):
        """The token kept alive, or None when it no longer works (then a new session is due)."""
        resp = self._call("GET", token)
        if resp.status_code == 401:
            return None
        attrs = self._attributes(resp)
        if not attrs.get("LoggedIn"):  # alive but logged out: log it in again
            self._login(token)
        return self._shared(token, attrs)

    def _open(self):
        resp = self._call("GET", None)
        if resp.status_code == 401:
            raise CredentialsRefused("MomaPIX refused the Apikey (401)", response=resp)
        attrs = self._attributes(resp)
        token = attrs.get("TokenId") or (json.loads(resp.content).get("data") or {}).get("id")
        if not isinstance(token, str) or not token:
            raise BadResponse("MomaPIX opened a session without a token")
        self.opened += 1
        log.info("momapix: opened a new session")
        self._login(token)
        return self._shared(token, attrs)

    def _login(self, token):
        body = {"data": {"id": token, "type": "session",
                         "attributes": {"username": self._username, "password": self._password}}}
        resp = self._call("POST", token, json.dumps(body))
        if resp.status_code == 401:
            raise CredentialsRefused("MomaPIX refused MOMAPIX_USERNAME / MOMAPIX_PASSWORD (401)", response=resp)
        if not self._attributes(resp).get("LoggedIn"):
            raise BadResponse("MomaPIX answered the login without LoggedIn")

    def _shared(self, token, attrs):
        seconds = positive_int(attrs.get("ExpiresIn")) or LIFE
        self._remember(token, seconds)
        return token, max(1, seconds // 2)

    def _call(self, method, token, body=None):
        headers = {"Accept": ACCEPT, "Apikey": self._key}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            headers["Content-Type"] = MEDIA_TYPE
        try:
            resp = self._http.request(method, f"{self._url}/rest/session", data=body, headers=headers,
                                      timeout=self._timeout, allow_redirects=False)
        except requests.RequestException as exc:
            raise type(exc)(f"MomaPIX session: {type(exc).__name__}") from None  # no URL, no header
        if resp.status_code >= 500 or resp.status_code == 429:
            raise ServerError(f"MomaPIX session answered {resp.status_code}", response=resp)
        if resp.status_code not in (200, 401):
            raise BadResponse(f"MomaPIX session answered {resp.status_code}")
        return resp

    @staticmethod
    def _attributes(resp):
        try:
            attrs = json.loads(resp.content)["data"]["attributes"]
        except (ValueError, KeyError, TypeError):
            raise BadResponse("MomaPIX answered a session that is not JSON:API") from None
        if not isinstance(attrs, dict):
            raise BadResponse("MomaPIX answered a session without attributes")
        return attrs

    def close(self):
        self._http.close()

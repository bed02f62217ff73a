"""Tokens that a source must obtain (OAuth client credentials or refresh, a login that returns a
session token), kept in Redis and shared by every process: one login at a time, under single flight.

    tokens = TokenStore(redis_client, "mediagraph", fetch=login)   # login() -> (token, seconds valid)
    token = tokens.get()            # in the transport's authorize()
    tokens.invalidate(token)        # on a 401 that says the token expired; the next get() logs in again

The token is a credential: it lives only under its own key (never in a cache entry), and the
transport redacts it from everything that comes back, as it does its other credentials.
"""
import threading
import time

import redis

from .singleflight import SingleFlight

MARGIN = 30  # seconds before its expiry that a token is renewed, so none expires mid-request


class TokenStore:
    def __init__(self, redis_client, name, fetch, wait=10.0):
        self._redis, self._fetch = redis_client, fetch
        self._key = f"gallery:token:{name}"
        self._flight = SingleFlight(redis_client, wait=wait, namespace="gallery:token-flight")
        self._local = None  # (token, monotonic expiry): while Redis is down, this process's own
        self._lock = threading.Lock()

    def get(self):
        try:
            return self._flight.do(self._key, self._login, self._stored)
        except redis.RedisError:
            with self._lock:
                if self._local is None or time.monotonic() >= self._local[1]:
                    token, seconds = self._fetch()
                    self._local = (token, time.monotonic() + max(0, seconds - MARGIN))
                return self._local[0]

    def invalidate(self, token):
        """Forget `token` (refused upstream), unless another process already replaced it."""
        with self._lock:
            if self._local is not None and self._local[0] == token:
                self._local = None
        try:
            stored = self._redis.get(self._key)
            if stored is not None and stored.decode() == token:
                self._redis.delete(self._key)
        except redis.RedisError:
            pass

    def _stored(self):
        stored = self._redis.get(self._key)
        return stored.decode() if stored is not None else None

    def _login(self):
        token, seconds = self._fetch()
        ttl = int(seconds) - MARGIN
        if ttl > 0:
            self._redis.set(self._key, token, ex=ttl)
        return token

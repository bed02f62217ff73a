"""The Olapic HTTP client: one cached session per process, shared by every request.

Layers, from the wire up:
- OlapicAdapter (transport) adds the API key on the way out and strips it from everything that comes
  back, so the cache, the callers and the logs never hold it. It turns 5xx answers and bodies that
  are not Olapic's JSON envelope into exceptions, so they are never cached.
- requests-cache's CachedSession on Redis: upstream Cache-Control decides freshness, ETags
  revalidate, and stale_if_error serves the last good answer while the upstream fails.
- OlapicClient: single flight on misses, stale-while-revalidate on a bounded pool, and a direct,
  uncached path while Redis is down.
"""
import json
import logging
import os
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import redis
import requests
from requests.adapters import HTTPAdapter
from requests_cache import CachedSession, RedisCache
from requests_cache.policy import CacheDirectives

from .. import observe
from ..singleflight import SingleFlight
from ..sources.base import Freshness, UpstreamError
from ..upstream.breaker import CircuitBreaker

log = logging.getLogger(__name__)

API_VERSION = "v2.2"
RETRY_AFTER = 5  # seconds we suggest to our clients after an upstream failure
# urllib3 logs every request line, key included, at DEBUG: keep that logger above it.
logging.getLogger("urllib3.connectionpool").setLevel(logging.INFO)

# Olapic's own API hosts besides the configured one: its answers link the shards z1…z4 of its CDN
# host, and its forms point at rest.photorank.me. Links there are followed by path and query on
# the configured base URL; links on any other host are refused.
OLAPIC_API_HOSTS = re.compile(r"(?:z[0-9]?)?photorankapi-a\.akamaihd\.net|rest\.photorank\.me")

_TOKEN_PARAM = re.compile(rb"([?&])auth_token=[^&\"'\s<>#\\]*(&?)")


def _strip_token_param(match):
    separator, follower = match.group(1), match.group(2)
    return separator if follower else b""  # keep "?" or "&" only when another parameter follows


def redact(data):
    """`data` (bytes or str) with every auth_token query parameter removed."""
    if isinstance(data, str):
        return _TOKEN_PARAM.sub(_strip_token_param, data.encode()).decode()
    return _TOKEN_PARAM.sub(_strip_token_param, data)


class BadResponse(requests.RequestException):
    """The upstream answered something other than its JSON envelope (garbage, truncated)."""


class ServerError(requests.HTTPError):
    """The upstream answered 5xx (or 429): a failure, never an answer to cache."""


class OlapicAdapter(HTTPAdapter):
    """Transport to the Olapic API that alone knows the key.

    The key is added to a copy of each request. Responses come back attached to the key-free
    request, with auth_token removed from the body's links, so the layers above never see it.
    """

    def __init__(self, api_url, api_key, pool_size):
        super().__init__(pool_connections=4, pool_maxsize=pool_size, max_retries=0)
        self._origin = _origin(api_url)
        self._api_key = api_key

    def send(self, request, **kwargs):
        if _origin(request.url) != self._origin:  # the key goes to the configured upstream only
            raise requests.exceptions.InvalidURL("not the configured upstream", request=request)
        keyed = request.copy()
        keyed.prepare_url(request.url, {"auth_token": self._api_key})
        observe.note_upstream_call()
        try:
            response = super().send(keyed, **kwargs)
            response.request, response.url = request, request.url
            if response.status_code == 304:
                return response
            response._content = redact(response.content)
        except requests.RequestException as exc:
            # Exception texts carry the keyed URL: rebuild them without it.
            if isinstance(exc, requests.exceptions.ChunkedEncodingError):
                exc = BadResponse(f"truncated answer: {exc}")
            raise type(exc)(redact(str(exc)), request=request) from None
        _check(response)
        return response


def _origin(url):
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower()


def _check(response):
    status = response.status_code
    if 300 <= status < 400:  # never followed: a redirect could lead anywhere, the key with it
        raise BadResponse(f"upstream answered {status} (a redirect)")
    if status >= 500 or status == 429:
        raise ServerError(f"upstream answered {status}", response=response)
    try:
        body = json.loads(response.content)
        code = int(body["metadata"]["code"])
    except (ValueError, TypeError, KeyError) as exc:
        raise BadResponse(f"upstream answered {status} with a body that is not Olapic JSON ({exc})") from None
    if code >= 500:  # a wrapped server error
        raise ServerError(f"upstream answered {code}", response=response)


@dataclass
class Upstream:
    status: int  # the upstream's own status (metadata.code, so wrapped errors keep theirs)
    json: dict  # its JSON envelope, without auth_token anywhere
    freshness: Freshness


def _failure(exc):
    if isinstance(exc, requests.Timeout):
        return _failure_of_kind("timeout")
    if isinstance(exc, BadResponse):
        return _failure_of_kind("bad_response")
    return _failure_of_kind("unavailable")


def _failure_of_kind(kind):
    messages = {
        "timeout": "The upstream did not answer in time.",
        "bad_response": "The upstream answered something unreadable.",
        "unavailable": "The upstream is unavailable.",
    }
    return UpstreamError(kind, messages[kind], None if kind == "bad_response" else RETRY_AFTER)


def _utcnow():
    return datetime.now(timezone.utc)


class OlapicClient:
    """GET answers from the Olapic API, through the shared cache. Thread-safe; one per process."""

    def __init__(self, *, api_url, api_key, redis_client, connect_timeout=1.0, read_timeout=2.5,
                 stale_if_error=86400, stale_while_revalidate=60, pool_size=16, refresh_threads=4,
                 redis_probe_interval=5.0, max_in_flight=4, breaker_threshold=3, breaker_open_seconds=10,
                 admit_miss=lambda: True):
        (self._scheme, self._netloc), self._root = _origin(api_url), urlsplit(api_url).path.rstrip("/")
        self._timeout = (connect_timeout, read_timeout)
        self._swr, self._stale_if_error = stale_while_revalidate, stale_if_error
        adapter = OlapicAdapter(api_url, api_key, pool_size)

        backend = RedisCache(
            namespace="gallery:http", connection=redis_client, serializer="json",
            # Keep entries past their freshness for as long as we may serve them stale.
            ttl_offset=max(stale_if_error, stale_while_revalidate),
        )
        self._session = CachedSession(
            backend=backend,
            cache_control=True,
            expire_after=60,  # only for answers without Cache-Control
            allowable_codes=(200,),
            ignored_parameters=["auth_token"],
            stale_if_error=stale_if_error,
            autoclose=False,  # the Redis connection is the app's, shared
        )
        self._direct = requests.Session()  # while Redis is down
        for session in (self._session, self._direct):
            session.trust_env = False  # no proxy or netrc from the environment sees our requests
            session.mount(f"{self._scheme}://", adapter)

        self._redis = redis_client
        # Shared by every process: after a few calls without an answer, none waits on this upstream.
        self._breaker = CircuitBreaker(redis_client, "olapic", threshold=breaker_threshold,
                                       open_seconds=breaker_open_seconds,
                                       probe_seconds=int(connect_timeout + read_timeout) + 1)
        self._in_flight = threading.BoundedSemaphore(max_in_flight)  # per process
        self._admit_miss = admit_miss  # the web layer's per-client limit on misses (gallery/misses.py)
        # Waiters give up on another's request after about one upstream timeout, then fetch themselves.
        self._flight = SingleFlight(redis_client, wait=connect_timeout + read_timeout)
        self._probe_interval = redis_probe_interval
        self._redis_down_until = None  # monotonic time of the next probe while Redis is down
        self._state_lock = threading.Lock()
        self._refresh_threads = refresh_threads
        self._refresh_slots = threading.BoundedSemaphore(refresh_threads * 2)  # running + queued
        self._refreshing = set()
        self._pool = None
        self._pool_pid = None

    @classmethod
    def from_config(cls, config, redis_client, admit_miss=lambda: True):
        return cls(
            api_url=config["OLAPIC_API_URL"],
            api_key=config["OLAPIC_API_KEY"],
            redis_client=redis_client,
            connect_timeout=config["UPSTREAM_CONNECT_TIMEOUT"],
            read_timeout=config["UPSTREAM_READ_TIMEOUT"],
            stale_if_error=config["STALE_IF_ERROR"],
            stale_while_revalidate=config["STALE_WHILE_REVALIDATE"],
            max_in_flight=config["UPSTREAM_MAX_IN_FLIGHT"],
            breaker_threshold=config["UPSTREAM_BREAKER_THRESHOLD"],
            breaker_open_seconds=config["UPSTREAM_BREAKER_OPEN_SECONDS"],
            admit_miss=admit_miss,
        )

    def get(self, href, params=None, cached=True):
        """GET a path ("/streams/1") or an href the upstream gave us, with `params` added; past the
        cache when `cached` is false (checks must talk to the upstream, not to what we remember).

        Raises UpstreamError when the upstream fails and no stale answer may be served.
        """
        request = self._session.prepare_request(requests.Request("GET", self.url(href, params)))
        if cached and self._cache_available():
            try:
                return self._cached(request)
            except redis.RedisError as exc:
                self._redis_failed(exc)
        try:
            response = self._direct.send(request, timeout=self._timeout)
        except requests.RequestException as exc:
            raise _failure(exc) from None
        return self._answer(response, "bypass")

    def post(self, path, data=None, files=None, read_timeout=None):
        """POST a form to the upstream (uploads, reports): straight through, never cached.

        Returns an Upstream whose status is the upstream's own (metadata.code). Raises a
        requests.RequestException when no usable answer came: ServerError (5xx), Timeout,
        ConnectionError, BadResponse. `read_timeout` overrides the configured one (big files).
        """
        request = self._direct.prepare_request(requests.Request("POST", self.url(path), data=data, files=files))
        timeout = (self._timeout[0], read_timeout or self._timeout[1])
        response = self._direct.send(request, timeout=timeout)
        body = json.loads(response.content)  # checked by the adapter
        return Upstream(int(body["metadata"]["code"]), body, Freshness(0))

    def url(self, href, params=None):
        """The absolute key-free URL for a path or upstream href; UpstreamError if it leaves the upstream.

        An href on one of Olapic's API hosts is taken by its path and query onto the configured base
        URL. A trailing slash counts as absent (Olapic links both), so both spellings share one
        cache entry and one continuation state.
        """
        if href.startswith("//"):
            href = f"{self._scheme}:{href}"
        elif href.startswith("/"):
            href = f"{self._scheme}://{self._netloc}{self._root}{href}"
        parts = urlsplit(href)
        path = parts.path
        if _origin(href) != (self._scheme, self._netloc):
            if parts.scheme not in ("http", "https") or not OLAPIC_API_HOSTS.fullmatch(parts.netloc.lower()):
                raise UpstreamError("bad_response", "The upstream linked outside its own API.")
            path = self._root + path
        if any(unquote(segment) in (".", "..") for segment in path.split("/")):
            raise UpstreamError("bad_response", "The upstream linked outside its own API.")
        path = path.rstrip("/") or "/"
        params = {k: v for k, v in (params or {}).items() if v is not None and k != "auth_token"}
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                 if k != "auth_token" and k not in params]
        query += sorted((k, str(v)) for k, v in params.items())
        names = {k for k, _ in query}
        query += [(k, v) for k, v in (("version", API_VERSION), ("wrap_responses", "1")) if k not in names]
        return urlunsplit((self._scheme, self._netloc, path, urlencode(query), ""))

    def close(self):
        if self._pool is not None and self._pool_pid == os.getpid():
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._session.close()
        self._direct.close()

    # The cached path -------------------------------------------------------------------------

    def _cached(self, request):
        cache = self._session.cache
        key = cache.create_key(request)
        cached = cache.get_response(key)
        if cached is not None and not cached.is_expired:
            return self._answer(cached, "hit")
        if cached is not None and _utcnow().timestamp() < cached.expires.timestamp() + self._swr:
            self._refresh_later(key, request)
            return self._answer(cached, "stale")
        response = self._flight.do(key, lambda: self._fetch(key, request), lambda: self._settled(key))
        return self._answer(response, _outcome(response))

    def _settled(self, key):
        """What another's fetch left: a fresh entry or, while the upstream fails for this key, the
        stale one (or its error). None when a fetch is due."""
        cached = self._session.cache.get_response(key)
        if cached is not None and not cached.is_expired:
            return cached
        kind = self._redis.get(self._failing(key))
        if kind is None:
            return None
        if cached is not None and _utcnow().timestamp() < cached.expires.timestamp() + self._stale_if_error:
            return cached
        raise _failure_of_kind(kind.decode())

    def _fetch(self, key, request):
        """One upstream request through the cache: conditional when we hold an entry, stale on failure.

        A failure is remembered for RETRY_AFTER seconds, so that meanwhile every caller, in every
        process, answers at once (stale, or the error) instead of queueing on a failing upstream.
        """
        if not self._admit_miss():  # this client's share of upstream calls is spent
            return self._stale_or_fail(key, "too many misses", "rate_limited")
        if not self._breaker.allow():  # the upstream is known to hang: nobody waits on it
            return self._stale_or_fail(key, "the circuit is open")
        if not self._in_flight.acquire(blocking=False):  # threads are kept for what needs no upstream
            observe.count("upstream_in_flight_full_total")
            return self._stale_or_fail(key, "too many calls in flight")
        try:
            response = self._session.send(request, timeout=self._timeout)
        except requests.RequestException as exc:
            failure = _failure(exc)
            if not isinstance(exc, (BadResponse, requests.HTTPError)):  # no answer at all: timeout, connection
                self._breaker_failed()
            self._redis.set(self._failing(key), failure.kind, ex=RETRY_AFTER)
            raise failure from None
        finally:
            self._in_flight.release()
        if response.from_cache and response.is_expired:  # requests-cache served it stale-if-error
            self._breaker_failed()
            self._redis.set(self._failing(key), "unavailable", ex=RETRY_AFTER)
        else:
            self._breaker.succeeded()
        return response

    def _breaker_failed(self):
        if self._breaker.failed():
            observe.count("upstream_breaker_opened_total")

    def _stale_or_fail(self, key, why, kind="unavailable"):
        """The entry we hold, if still within stale-if-error; else fail at once."""
        cached = self._session.cache.get_response(key)
        if cached is not None and _utcnow().timestamp() < cached.expires.timestamp() + self._stale_if_error:
            return cached
        observe.count("upstream_failed_fast_total")
        raise UpstreamError(kind, f"The upstream is not asked: {why}.", RETRY_AFTER)

    @staticmethod
    def _failing(key):
        return f"gallery:failing:{key}"

    def _refresh_later(self, key, request):
        """Revalidate an entry in the background, through the single flight; dropped when the pool is busy."""
        with self._state_lock:
            if key in self._refreshing or not self._refresh_slots.acquire(blocking=False):
                return
            self._refreshing.add(key)
            pool = self._executor()

        def refresh():
            try:
                self._flight.do(key, lambda: self._fetch(key, request), lambda: self._settled(key))
            except (UpstreamError, redis.RedisError) as exc:
                log.info("background refresh failed: %s", exc)
            finally:
                with self._state_lock:
                    self._refreshing.discard(key)
                self._refresh_slots.release()

        pool.submit(refresh)

    def _executor(self):
        # Created lazily, and again in a forked child, whose copy has no threads.
        if self._pool is None or self._pool_pid != os.getpid():
            self._pool = ThreadPoolExecutor(self._refresh_threads, thread_name_prefix="olapic-refresh")
            self._pool_pid = os.getpid()
        return self._pool

    # Redis trouble ---------------------------------------------------------------------------

    def _cache_available(self):
        if self._redis_down_until is None:
            return True
        with self._state_lock:
            if self._redis_down_until is None:
                return True
            if time.monotonic() < self._redis_down_until:
                return False
            self._redis_down_until = time.monotonic() + self._probe_interval  # one prober at a time
        try:
            self._redis.ping()
        except redis.RedisError:
            return False
        with self._state_lock:
            self._redis_down_until = None
        log.warning("Redis is back: upstream answers are cached again")
        return True

    def _redis_failed(self, exc):
        with self._state_lock:
            first = self._redis_down_until is None
            self._redis_down_until = time.monotonic() + self._probe_interval
        if first:
            observe.count("redis_degraded_total")
            log.warning("Redis unavailable (%s): answering from the upstream without a cache",
                        type(exc).__name__)

    # Answers ---------------------------------------------------------------------------------

    def _answer(self, response, outcome):
        observe.note_cache(outcome)
        body = json.loads(response.content)  # every answer was checked by the adapter before caching
        stale = outcome == "stale"
        freshness = Freshness(0 if stale else _seconds_left(response), stale=stale)
        return Upstream(int(body["metadata"]["code"]), body, freshness)


def _outcome(response):
    if getattr(response, "revalidated", False):
        return "revalidated"
    if not getattr(response, "from_cache", False):
        return "miss"
    return "stale" if response.is_expired else "hit"


def _seconds_left(response):
    expires = getattr(response, "expires", None)
    if expires is None:  # an answer that was not cached (Redis down, or no-store)
        return CacheDirectives.from_headers(response.headers).max_age or 0
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=timezone.utc)
    return max(0, int((expires - _utcnow()).total_seconds()))

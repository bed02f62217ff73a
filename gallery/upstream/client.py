"""Upstream HTTP for any source: one cached session per source and process, shared by every request.

Layers, from the wire up:
- the source's CredentialTransport (transport.py) adds its credentials on the way out and strips
  them from everything that comes back; failures (5xx, 429, bodies not of the upstream's shape) are
  exceptions there, so they are never cached.
- requests-cache's CachedSession on Redis (cache.py): upstream Cache-Control decides freshness (or
  `expire_after`, for upstreams that send none), ETags revalidate, and stale_if_error serves the
  last good answer while the upstream fails.
- UpstreamClient: single flight on misses, stale-while-revalidate on a bounded pool, failure records
  that make every process fail fast for a while (Retry-After when the upstream gave one), and a
  direct, uncached path while Redis is down. Reads and writes fail the same way: UpstreamError.
"""
import json
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Mapping
from datetime import datetime, timezone
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import redis
import requests
from requests_cache import CachedSession
from requests_cache.policy import CacheDirectives

from ..media import observe
from ..media.models import Freshness, UpstreamError
from .breaker import CircuitBreaker
from .cache import OneReadRedisCache
from .errors import RETRY_AFTER, BadResponse, failure, failure_of_kind
from .singleflight import SingleFlight
from .transport import origin

log = logging.getLogger(__name__)

# urllib3 logs every request line, credentials included, at DEBUG: keep that logger above it.
logging.getLogger("urllib3.connectionpool").setLevel(logging.INFO)


@dataclass
class Answer:
    status: int  # the upstream's own status (Olapic: metadata.code, so wrapped errors keep theirs)
    json: dict  # its JSON body, without any credential
    freshness: Freshness
    headers: Mapping = field(default_factory=dict)  # case-insensitive when from the upstream


def _utcnow():
    return datetime.now(timezone.utc)


class UpstreamClient:
    """GET answers of one upstream through the shared cache, and writes straight through. Thread-safe."""

    def __init__(self, *, transport, api_url, redis_client, connect_timeout=1.0, read_timeout=2.5,
                 stale_if_error=86400, stale_while_revalidate=60, expire_after=60, refresh_threads=4,
                 redis_probe_interval=5.0, default_params=None, secret_params=(), linked_hosts=None,
                 trailing_slash_absent=False, name="upstream", max_in_flight=4, breaker_threshold=3,
                 breaker_open_seconds=10, admit_miss=None, urls_valid_for=None):
        """`expire_after`: seconds of freshness of answers without Cache-Control. `default_params`:
        added to every request unless already there (e.g. an API version); `secret_params`: never
        taken from an href or the caller (the transport adds credentials itself). `linked_hosts`: a
        compiled pattern of the upstream's other API hosts, whose links are followed by path and query
        on the configured base URL (every other host is refused). `trailing_slash_absent`: "/a/" is
        "/a", so both spellings share one cache entry and one continuation state.

        A hung upstream: `name` names its circuit breaker (breaker.py), shared by every process, which
        opens after `breaker_threshold` calls without an answer for `breaker_open_seconds`; at most
        `max_in_flight` calls wait on it at once in this process. `admit_miss()` (the web layer's
        per-client limit on misses) is asked before each upstream call of a miss; False serves the
        stale entry or fails with rate_limited.

        `urls_valid_for`: seconds the image URLs in an answer stay valid after it was fetched (signed
        links), or None. An answer is then never fresh, nor served stale, past that: an entry older
        fails like a miss on a failing upstream, and the Freshness of the others says how long they
        remain usable (so our own stale windows stay inside it too)."""
        (self._scheme, self._netloc), self._root = origin(api_url), urlsplit(api_url).path.rstrip("/")
        self._urls_valid_for = urls_valid_for
        if urls_valid_for:
            expire_after = min(expire_after, urls_valid_for)
        self._timeout = (connect_timeout, read_timeout)
        self._swr, self._stale_if_error = stale_while_revalidate, stale_if_error
        self._defaults, self._secret = dict(default_params or {}), set(secret_params)
        self._linked_hosts, self._no_trailing_slash = linked_hosts, trailing_slash_absent
        self._transport = transport

        backend = OneReadRedisCache(
            namespace="gallery:http", connection=redis_client, serializer="json",
            # Keep entries past their freshness for as long as we may serve them stale.
            ttl_offset=max(stale_if_error, stale_while_revalidate),
        )
        self._session = CachedSession(
            backend=backend,
            cache_control=True,
            expire_after=expire_after,  # only for answers without Cache-Control
            allowable_codes=(200,),
            ignored_parameters=sorted(self._secret),
            stale_if_error=stale_if_error,
            autoclose=False,  # the Redis connection is the app's, shared
        )
        self._direct = requests.Session()  # writes, probes, and reads while Redis is down
        for session in (self._session, self._direct):
            session.trust_env = False  # no proxy or netrc from the environment sees our requests
            session.mount(f"{self._scheme}://", transport)

        self._redis = redis_client
        # Shared by every process: after a few calls without an answer, none waits on this upstream.
        self._breaker = CircuitBreaker(redis_client, name, threshold=breaker_threshold,
                                       open_seconds=breaker_open_seconds,
                                       probe_seconds=int(connect_timeout + read_timeout) + 1)
        self._in_flight = threading.BoundedSemaphore(max_in_flight)  # per process
        self._admit_miss = admit_miss or (lambda: True)
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

    def get(self, href, params=None, tag=None):
        """GET a path ("/streams/1") or an href the upstream gave us, with `params` added.

        `tag` groups cached answers (e.g. "product:<tag key>") so that invalidate(tag) forgets them.
        Raises UpstreamError when the upstream fails and no stale answer may be served.
        """
        request = self._session.prepare_request(requests.Request("GET", self.url(href, params)))
        if self._cache_available():
            try:
                return self._cached(request, tag)
            except redis.RedisError as exc:
                self._redis_failed(exc)
        try:
            response = self._direct.send(request, timeout=self._timeout)
        except requests.RequestException as exc:
            raise failure(exc) from None
        return self._answer(response, "bypass")

    def get_uncached(self, href, params=None):
        """GET past the cache (probes, checks: they must talk to the upstream, not to our memory of it)."""
        return self.write("GET", href, params=params)

    def post(self, path, data=None, files=None, json=None, read_timeout=None):
        """POST to the upstream (uploads, reports): straight through, never cached."""
        return self.write("POST", path, data=data, files=files, json=json, read_timeout=read_timeout)

    def write(self, method, href, params=None, read_timeout=None, **body):
        """Any request straight through the transport, never cached: the upstream's answer, whatever
        its status below 500. Raises UpstreamError (its `answered` says whether a write may have been
        applied). `read_timeout` overrides the configured one (big files)."""
        request = self._direct.prepare_request(requests.Request(method, self.url(href, params), **body))
        timeout = (self._timeout[0], read_timeout or self._timeout[1])
        try:
            response = self._direct.send(request, timeout=timeout)
        except requests.RequestException as exc:
            raise failure(exc) from None
        body = json_body(response)
        return Answer(self._transport.status(response, body), body, Freshness(0), response.headers)

    def invalidate(self, tag):
        """Forget every cached answer fetched with `tag`."""
        key = self._tag(tag)
        members = [m.decode() for m in self._redis.smembers(key)]
        if members:
            self._session.cache.delete(*members)
            self._redis.delete(*[self._failing(m) for m in members])
        self._redis.delete(key)

    def url(self, href, params=None):
        """The absolute credential-free URL for a path or upstream href; UpstreamError if it leaves the upstream."""
        if href.startswith("//"):
            href = f"{self._scheme}:{href}"
        elif href.startswith("/"):
            href = f"{self._scheme}://{self._netloc}{self._root}{href}"
        parts = urlsplit(href)
        path = parts.path
        if origin(href) != (self._scheme, self._netloc):
            if (parts.scheme not in ("http", "https") or self._linked_hosts is None
                    or not self._linked_hosts.fullmatch(parts.netloc.lower())):
                raise UpstreamError("bad_response", "The upstream linked outside its own API.")
            path = self._root + path
        if any(unquote(segment) in (".", "..") for segment in path.split("/")):
            raise UpstreamError("bad_response", "The upstream linked outside its own API.")
        if self._no_trailing_slash:
            path = path.rstrip("/") or "/"
        params = {k: v for k, v in (params or {}).items() if v is not None and k not in self._secret}
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                 if k not in self._secret and k not in params]
        query += sorted((k, str(v)) for k, v in params.items())
        names = {k for k, _ in query}
        query += [(k, v) for k, v in self._defaults.items() if k not in names]
        return urlunsplit((self._scheme, self._netloc, path, urlencode(query), ""))

    def close(self):
        if self._pool is not None and self._pool_pid == os.getpid():
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._session.close()
        self._direct.close()

    # The cached path -------------------------------------------------------------------------

    def _cached(self, request, tag):
        cache = self._session.cache
        key = cache.create_key(request)
        cached = cache.get_response(key)
        links_left = None if cached is None else self._links_left(cached)
        if links_left is not None and links_left <= 0:
            cached = None  # its image links expired (even if the upstream calls it fresh): fetch anew
        if cached is not None and not cached.is_expired:
            return self._answer(cached, "hit")
        if cached is not None and _utcnow().timestamp() < cached.expires.timestamp() + self._swr:
            self._refresh_later(key, request, tag)
            return self._answer(cached, "stale")
        # One read of the entry per lookup: the single flight skips its first look, and requests-cache's
        # conditional request reuses what was read; only a look after waiting for another reads again.
        found = self._settled(key, cached)
        if found is not None:
            return self._answer(found, _outcome(found))
        read = {"entry": cached}

        def lookup():
            read["entry"] = cache.get_response(key)
            return self._settled(key, read["entry"])

        def fetch():
            with cache.held(key, read["entry"]):
                return self._fetch(key, request, tag)

        response = self._flight.do(key, fetch, lookup, just_looked=True)
        return self._answer(response, _outcome(response))

    def _settled(self, key, cached):
        """What another's fetch left (`cached`: the entry as just read): a fresh entry or, while the
        upstream fails for this key, the stale one (or its error). None when a fetch is due."""
        if cached is not None and not cached.is_expired:
            return cached
        failing = self._redis.get(self._failing(key))
        if failing is None:
            return None
        if cached is not None and _utcnow().timestamp() < cached.expires.timestamp() + self._stale_if_error:
            return cached
        kind, _, retry = failing.decode().partition(":")
        raise failure_of_kind(kind, int(retry) if retry.isdigit() else None)

    def _fetch(self, key, request, tag):
        """One upstream request through the cache: conditional when we hold an entry, stale on failure.

        A failure is remembered for the upstream's Retry-After (else RETRY_AFTER) seconds, so that
        meanwhile every caller, in every process, answers at once (stale, or the error) instead of
        queueing on a failing upstream. Before the call: the client's share of misses, the breaker
        and the in-flight cap may each answer at once instead (stale, or the error).
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
            error = failure(exc)
            if not isinstance(exc, (BadResponse, requests.HTTPError)):  # no answer at all: timeout, connection
                self._breaker_failed()
            retry = error.retry_after or RETRY_AFTER
            self._redis.set(self._failing(key), f"{error.kind}:{retry}", ex=retry)
            raise error from None
        finally:
            self._in_flight.release()
        if response.from_cache and response.is_expired:  # requests-cache served it stale-if-error
            self._breaker_failed()
            self._redis.set(self._failing(key), f"unavailable:{RETRY_AFTER}", ex=RETRY_AFTER)
        else:
            self._breaker.succeeded()
            if tag is not None:
                with self._redis.pipeline(transaction=False) as pipe:
                    pipe.sadd(self._tag(tag), key)
                    pipe.expire(self._tag(tag), self._stale_if_error + self._swr + 86400)
                    pipe.execute()
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
    def _tag(tag):
        return f"gallery:http-tag:{tag}"

    @staticmethod
    def _failing(key):
        return f"gallery:failing:{key}"

    def _refresh_later(self, key, request, tag):
        """Revalidate an entry in the background, through the single flight; dropped when the pool is busy."""
        with self._state_lock:
            if key in self._refreshing or not self._refresh_slots.acquire(blocking=False):
                return
            self._refreshing.add(key)
            pool = self._executor()

        def refresh():
            try:
                self._flight.do(key, lambda: self._fetch(key, request, tag),
                                lambda: self._settled(key, self._session.cache.get_response(key)))
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
            self._pool = ThreadPoolExecutor(self._refresh_threads, thread_name_prefix="upstream-refresh")
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
        body = json_body(response)
        stale = outcome == "stale"
        freshness = Freshness(0 if stale else _seconds_left(response), stale=stale)
        links_left = self._links_left(response)
        if links_left is not None:
            if links_left <= 0:  # served stale past its image links' expiry: as good as no answer
                raise UpstreamError("unavailable", "The answer we hold has expired image links.", RETRY_AFTER)
            freshness = freshness.capped(links_left)
        return Answer(self._transport.status(response, body), body, freshness, response.headers)


    def _links_left(self, response):
        """Seconds the image links of an answer remain valid (urls_valid_for), or None: no expiry."""
        if not self._urls_valid_for:
            return None
        created = getattr(response, "created_at", None) or _utcnow()  # a response just fetched: now
        if created.tzinfo is None:
            created = created.replace(tzinfo=timezone.utc)
        return self._urls_valid_for - (_utcnow() - created).total_seconds()


def json_body(response):
    """The JSON of an answer the transport checked (before it was cached); {} for an empty body."""
    return json.loads(response.content) if response.content else {}


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

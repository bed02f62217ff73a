"""Single flight: one fetch per key at a time, across threads, gunicorn workers and instances.

Threads of one process queue on a local lock, so only one of them contends for the Redis lock that
processes share (SET NX PX, via redis-py's Lock). Whoever holds it fetches; the others poll until it
is released, then read the shared result. Nobody waits longer than `wait` seconds: after that, or
when the fetcher left no result behind, a waiter fetches by itself.
"""
import threading
import time
import weakref

from redis.exceptions import LockError


class SingleFlight:
    POLL = 0.02  # seconds between checks of another process's lock

    def __init__(self, redis_client, wait, namespace="gallery:flight"):
        self._redis, self._wait, self._namespace = redis_client, wait, namespace
        self._locks = weakref.WeakValueDictionary()  # key -> threading.Lock, gone when unused
        self._guard = threading.Lock()

    def do(self, key, fetch, lookup, just_looked=False):
        """Return lookup() when it finds the shared result, else fetch()'s, fetching once at a time.

        `lookup` reads the result someone else's fetch left (e.g. a fresh cache entry) or returns None.
        `just_looked`: the caller found nothing a moment ago, so the first look is skipped unless this
        thread had to wait for another of its process.
        """
        deadline = time.monotonic() + self._wait
        local = self._local_lock(key)
        waited = not local.acquire(blocking=False)
        if waited and not local.acquire(timeout=self._wait):
            return _either(lookup, fetch)
        try:
            found = lookup() if waited or not just_looked else None
            if found is not None:
                return found
            name = f"{self._namespace}:{key}"
            # The lock outlives a crashed holder by at most twice the wait.
            lock = self._redis.lock(name, timeout=self._wait * 2, blocking=False)
            if lock.acquire():
                try:
                    return fetch()
                finally:
                    try:
                        lock.release()
                    except LockError:  # it expired while we fetched; not ours to delete any more
                        pass
            while time.monotonic() < deadline and self._redis.exists(name):
                time.sleep(self.POLL)
            return _either(lookup, fetch)
        finally:
            local.release()

    def _local_lock(self, key):
        with self._guard:
            lock = self._locks.get(key)
            if lock is None:
                lock = self._locks[key] = threading.Lock()
            return lock


def _either(lookup, fetch):
    found = lookup()  # not `or`: a response with an error status is falsy
    return found if found is not None else fetch()

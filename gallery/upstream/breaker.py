"""A circuit breaker per upstream, shared by every worker and instance through Redis.

A hung upstream (connections accepted, never answered) costs each request its whole read timeout,
and holds a worker thread for it. So after `threshold` timeouts or connection failures within
`window` seconds, the breaker opens for `open_seconds`: meanwhile no request of any process calls
the upstream (callers serve what is stale at once, or fail fast). Then one caller, across all
processes, is let through as a probe: its success closes the breaker, its failure opens it again.

Keys (in the cache's Redis, all with TTLs): gallery:breaker:<name>:failures (a count in the window),
:tripped (open or half-open), :open (the open period), :probe (the one probe under way).
"""
import logging

import redis

log = logging.getLogger(__name__)


class CircuitBreaker:
    def __init__(self, redis_client, name, *, threshold=3, window=30, open_seconds=10, probe_seconds=10):
        self._redis, self.name = redis_client, name
        self._threshold, self._window = threshold, window
        self._open_seconds, self._probe_seconds = open_seconds, probe_seconds
        prefix = f"gallery:breaker:{name}"
        self._failures, self._tripped = f"{prefix}:failures", f"{prefix}:tripped"
        self._open, self._probe = f"{prefix}:open", f"{prefix}:probe"

    def allow(self):
        """Whether this caller may call the upstream now (closed, or the one probe of a half-open breaker).

        Fails open: when Redis cannot tell, calls go through, as without a breaker."""
        try:
            if not self._redis.exists(self._tripped):
                return True
            if self._redis.exists(self._open):
                return False
            return bool(self._redis.set(self._probe, 1, nx=True, ex=self._probe_seconds))
        except redis.RedisError:
            return True

    def state(self):
        """closed | open | half_open, for /readyz and the logs."""
        try:
            if not self._redis.exists(self._tripped):
                return "closed"
            return "open" if self._redis.exists(self._open) else "half_open"
        except redis.RedisError:
            return "closed"

    def succeeded(self):
        """An answer came: the breaker closes, if it was not."""
        try:
            with self._redis.pipeline(transaction=False) as pipe:
                pipe.exists(self._tripped)
                pipe.delete(self._tripped, self._open, self._probe, self._failures)
                was_tripped = pipe.execute()[0]
        except redis.RedisError:
            return
        if was_tripped:
            log.warning("upstream %s answers again: circuit closed", self.name)

    def failed(self):
        """A timeout or a failed connection: counts towards opening; a failed probe opens it again.
        True when this failure opened the breaker."""
        try:
            if self._redis.exists(self._tripped):
                self._trip()
                return False
            with self._redis.pipeline() as pipe:
                pipe.set(self._failures, 0, ex=self._window, nx=True)  # the window opens with the first
                pipe.incr(self._failures)  # keeps the TTL
                count = pipe.execute()[1]
            if count < self._threshold:
                return False
            self._trip()
        except redis.RedisError:
            return False
        log.warning("upstream %s: %d timeouts or failed connections within %d s: circuit open, stale "
                    "answers served and unseen ones failing fast, for %d s", self.name, count, self._window,
                    self._open_seconds)
        return True

    def _trip(self):
        with self._redis.pipeline() as pipe:
            # tripped outlives many open periods: it ends with a successful probe, or on its own
            # long after the upstream stopped being asked at all.
            pipe.set(self._tripped, 1, ex=max(3600, self._open_seconds * 10))
            pipe.set(self._open, 1, ex=self._open_seconds)
            pipe.delete(self._failures, self._probe)
            pipe.execute()

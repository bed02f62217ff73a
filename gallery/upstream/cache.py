"""The requests-cache backend on Redis, read once per lookup.

The client looks an entry up itself (to serve it, or to serve it stale while it revalidates) before
asking requests-cache to fetch; without this, requests-cache would read the same entry again from
Redis to make its conditional request. `held(key, response)` lends it the entry this thread already
read, for one lookup.
"""
import threading
from contextlib import contextmanager

from requests_cache import RedisCache


class OneReadRedisCache(RedisCache):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._held = threading.local()

    @contextmanager
    def held(self, key, response):
        self._held.entry = (key, response)
        try:
            yield
        finally:
            self._held.entry = None

    def get_response(self, key, default=None):
        entry = getattr(self._held, "entry", None)
        if entry is not None and entry[0] == key:
            self._held.entry = None  # one lookup only: a later one must see what others wrote
            return entry[1] if entry[1] is not None else default
        return super().get_response(key, default)

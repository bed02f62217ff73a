"""A small thread-safe LRU for rendered files (one per sandbox state, so a reset forgets uploads)."""
import threading
from collections import OrderedDict


class Lru:
    def __init__(self, size: int = 256):
        self._items: OrderedDict = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key, make):
        """The cached value of `key`, else `make()` (run outside the lock) stored under it."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            if len(self._items) > self._size:
                self._items.popitem(last=False)
        return value

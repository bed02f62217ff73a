"""The wrappers every source's catalogue wears, innermost first (see registry.wrap):

- Stamped: every medium gets `provider`, its `kind` (ugc or brand) and `credit` (the brand's label
  on brand media, else null), and its id the source's prefix, so that ids are unique across
  providers; medium(id) takes the public id back.
- FreshMemo: this process's latest answers, each kept until its freshness runs out. A fresh answer
  cannot change before it expires, so repeating one costs neither Redis nor parsing. Forgotten on
  every change (gallery/media/changes.py): a hidden medium, an invalidated product.
- hiding.HidingReported: reported media left out, whatever their source.
"""
import dataclasses
import json
import os
import threading
import time
from collections import OrderedDict

from . import changes, observe
from .models import NotFound


class FreshMemo:
    """A Catalogue memoising another (LRU, `size` entries)."""

    def __init__(self, catalogue, redis_client, size=256):
        self._catalogue, self._redis, self._size = catalogue, redis_client, size
        self._entries, self._lock = OrderedDict(), threading.Lock()
        self._generation, self._watcher, self._pid = 0, None, None

    def product(self, tag_key):
        return self._get(("product", tag_key), lambda: self._catalogue.product(tag_key))

    def product_media(self, tag_key, sort, limit, filters, state=None):
        return self._get(("product_media", tag_key, sort, limit, filters, state),
                         lambda: self._catalogue.product_media(tag_key, sort, limit, filters, state))

    def category_media(self, key, sort, limit, filters, state=None):
        return self._get(("category_media", key, sort, limit, filters, state),
                         lambda: self._catalogue.category_media(key, sort, limit, filters, state))

    def brand_media(self, sort, limit, filters, state=None):
        return self._get(("brand_media", sort, limit, filters, state),
                         lambda: self._catalogue.brand_media(sort, limit, filters, state))

    def medium(self, media_id):
        return self._get(("medium", media_id), lambda: self._catalogue.medium(media_id))

    def invalidate(self, tag_key):
        """Forget the product's cached answers, then tell every process's memos (this one's too)."""
        self._catalogue.invalidate(tag_key)
        self.forget()
        changes.announce(self._redis, f"product:{tag_key}")

    def forget(self):
        with self._lock:
            self._entries.clear()
            self._generation += 1

    def _get(self, args, make):
        try:
            key = json.dumps(args, sort_keys=True)
        except TypeError:  # not a state this source made: let `make` say so
            return make()
        with self._lock:
            stored, answer = self._entries.get(key, (0, None))
            age = time.monotonic() - stored
            left = int(answer.freshness.max_age - age) if answer is not None else 0
            if answer is not None and left > 0:
                self._entries.move_to_end(key)
            generation = self._generation
        if answer is not None and left > 0:
            observe.note_cache("hit")
            return dataclasses.replace(answer, freshness=answer.freshness.aged(answer.freshness.max_age - left))
        listening = self._listening()
        answer = make()
        if answer.freshness.max_age > 0 and not answer.freshness.stale and self._size and listening:
            with self._lock:
                if generation != self._generation:  # forgotten meanwhile: this answer may be outdated
                    return answer
                self._entries[key] = (time.monotonic(), answer)
                self._entries.move_to_end(key)
                while len(self._entries) > self._size:
                    self._entries.popitem(last=False)
        return answer

    def _listening(self):
        """Memoise only while this process hears about changes (Redis up, subscribed)."""
        if self._pid != os.getpid():  # first use in this process (gunicorn forks after create_app)
            self._watcher, self._pid = changes.watch(self._redis, self), os.getpid()
        return self._watcher.listening


class Stamped:
    """A Catalogue whose media carry `provider`, `kind`, `credit` (`brand_credit` on brand media, or
    None) and ids prefixed with `prefix` (Olapic: none)."""

    def __init__(self, catalogue, provider, prefix="", kind="ugc", brand_credit=None):
        self._catalogue, self._provider, self._prefix = catalogue, provider, prefix
        self._stamp_fields = {"provider": provider, "kind": kind,
                              "credit": (brand_credit or None) if kind == "brand" else None}

    def product(self, tag_key):
        return self._catalogue.product(tag_key)

    def product_media(self, *args, **kwargs):
        return self._page(self._catalogue.product_media(*args, **kwargs))

    def category_media(self, *args, **kwargs):
        return self._page(self._catalogue.category_media(*args, **kwargs))

    def brand_media(self, *args, **kwargs):
        return self._page(self._catalogue.brand_media(*args, **kwargs))

    def medium(self, media_id):
        if not media_id.startswith(self._prefix):
            raise NotFound(f"no medium {media_id!r} at {self._provider}")
        item = self._catalogue.medium(media_id[len(self._prefix):])
        return dataclasses.replace(item, value=self._stamp(item.value))

    def invalidate(self, tag_key):
        self._catalogue.invalidate(tag_key)

    def _page(self, page):
        return dataclasses.replace(page, items=[self._stamp(m) for m in page.items])

    def _stamp(self, medium):
        return {**medium, "id": self._prefix + str(medium["id"]), **self._stamp_fields}

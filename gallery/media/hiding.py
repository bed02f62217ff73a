"""Reported media, hidden from our own answers at once, whatever their source.

An upstream moves a reported medium to its moderation (or has no report endpoint at all), but its CDN
(and our own cache, which may serve stale answers while the upstream fails) keeps serving it for a
while. So the service keeps the public ids (provider prefix included) it reported in a Redis sorted
set, scored by when hiding them may stop (REPORT_HIDE_SECONDS), and every worker and instance leaves
them out of media lists and answers 404 for them by id.

If Redis is down, media are served unfiltered (fail open) and that is logged and counted.

Memos of answers skip this filter, so hide() announces the change (gallery/media/changes.py).
"""
import logging
import time

import redis

from . import changes, observe
from .models import NotFound

log = logging.getLogger(__name__)

KEY = "gallery:reports:hidden"


def _reason_key(media_id):
    return f"gallery:reports:reason:{media_id}"


def hide(r, media_id, seconds, reason=""):
    now = time.time()
    with r.pipeline() as pipe:
        pipe.zadd(KEY, {str(media_id): now + seconds})
        pipe.zremrangebyscore(KEY, "-inf", now)  # forget the hidings that ran out
        pipe.set(_reason_key(media_id), reason, ex=seconds)  # for the operator (cli.py), never an email
        changes.publish(pipe, str(media_id))  # after the zadd: whoever hears it sees the medium hidden
        pipe.execute()
    changes.forget_here()


def restore(r, media_id):
    """Show a hidden medium again (an operator's decision); False if it was not hidden."""
    with r.pipeline() as pipe:
        pipe.zrem(KEY, str(media_id))
        pipe.delete(_reason_key(media_id))
        changes.publish(pipe, str(media_id))  # memos forget the answers that left it out
        removed = pipe.execute()[0]
    changes.forget_here()
    return bool(removed)


def hidden_list(r):
    """[(media_id, hidden until (epoch seconds), reason)] of every medium hidden now, soonest back first."""
    now = time.time()
    entries = r.zrangebyscore(KEY, now, "+inf", withscores=True)
    reasons = r.mget([_reason_key(m.decode()) for m, _ in entries]) if entries else []
    return [(m.decode(), until, (reason or b"").decode()) for (m, until), reason in zip(entries, reasons)]


def hidden(r, media_ids):
    """The subset of `media_ids` currently hidden; empty when Redis cannot tell."""
    media_ids = [str(i) for i in media_ids]
    if not media_ids:
        return set()
    try:
        scores = r.zmscore(KEY, media_ids)
    except redis.RedisError as exc:
        observe.count("report_filter_unavailable_total")
        log.warning("Redis unavailable (%s): reported media are not filtered out", type(exc).__name__)
        return set()
    now = time.time()
    return {i for i, score in zip(media_ids, scores) if score is not None and score > now}


class HidingReported:
    """A Catalogue that leaves out reported media: the outermost wrapper of every source's catalogue."""

    def __init__(self, source, redis_client):
        self._source, self._redis = source, redis_client

    @property
    def unfiltered(self):
        """The catalogue it filters (a federation mixes those, and is filtered as a whole: over())."""
        return self._source

    def over(self, catalogue):
        """`catalogue` filtered by the same hidden set."""
        return HidingReported(catalogue, self._redis)

    def product(self, tag_key):
        return self._source.product(tag_key)

    def invalidate(self, tag_key):
        self._source.invalidate(tag_key)

    def product_media(self, *args, **kwargs):
        return self._drop(self._source.product_media(*args, **kwargs))

    def category_media(self, *args, **kwargs):
        return self._drop(self._source.category_media(*args, **kwargs))

    def brand_media(self, *args, **kwargs):
        return self._drop(self._source.brand_media(*args, **kwargs))

    def medium(self, media_id):
        if hidden(self._redis, [media_id]):
            raise NotFound(f"medium {media_id} was reported")
        return self._source.medium(media_id)

    def _drop(self, page):
        gone = hidden(self._redis, [item["id"] for item in page.items])
        if gone:
            page.items = [item for item in page.items if item["id"] not in gone]
        return page

"""Sources' change feeds (Source.changes), polled by the upload worker's process (gallery/worker.py):
each key a feed names has its gallery invalidated through the registry's wrapped catalogue, so that
the cached upstream answers go and every process's memos forget (gallery/media/changes.py).

A feed throttles itself (e.g. one poll per interval for the whole deployment, by a lock in Redis):
this loop only calls it every TICK seconds.
"""
import logging
import threading

from . import observe

log = logging.getLogger(__name__)

TICK = 5  # seconds between calls of each feed


def poll(registry):
    """Call every feed once; returns the (provider, key) pairs invalidated."""
    done = []
    for source in registry:
        if source.changes is None:
            continue
        try:
            keys = source.changes()
            for key in keys:
                source.catalogue.invalidate(key)
                done.append((source.name, key))
        except Exception as exc:  # a feed failing must not stop the others, nor the worker
            log.warning("%s: change feed failed: %s", source.name, type(exc).__name__)
            continue
        if keys:
            observe.count("feed_invalidations_total", len(keys))
            log.info("%s: change feed invalidated %d galleries", source.name, len(keys))
    return done


def start(registry, tick=TICK):
    """Poll the feeds every `tick` seconds in a daemon thread (none when no source has a feed)."""
    if not any(source.changes is not None for source in registry):
        return None
    stop = threading.Event()

    def run():  # at once (where the feeds stand), then every tick
        poll(registry)
        while not stop.wait(tick):
            poll(registry)

    thread = threading.Thread(target=run, name="gallery-change-feeds", daemon=True)
    thread.stop = stop
    thread.start()
    return thread

"""What the sources' own suites share: the service's base settings, sources built against a sandbox
(closed after the test) and a walk of a product's listing through a catalogue."""
import multiprocessing
import threading
from contextlib import contextmanager

import redis

from gallery import settings as service_settings

# The service's own defaults for everything that is not the source's (timeouts, stale windows, breaker).
BASE_CONFIG = service_settings.from_env({})


@contextmanager
def built(build, config, redis_client):
    """`make(*args, **overrides)`: a source built by `build` from `config(*args, **overrides)` on `redis_client`;
    every source made is closed when the block ends."""
    sources = []

    def make(*args, **overrides):
        source = build(config(*args, **overrides), redis_client)
        sources.append(source)
        return source

    try:
        yield make
    finally:
        for source in sources:
            source.close()


def walk(catalogue, tag_key, sort="recent", limit=100, between=None):
    """Every medium id of a product's walk, in order; `between()` runs after each page but the last."""
    ids, state = [], None
    while True:
        page = catalogue.product_media(tag_key, sort, limit, {}, state)
        ids += [m["id"] for m in page.items]
        state = page.next_state
        if state is None:
            return ids
        if between:
            between()


def cold_requests(build, config, redis_url, processes=2, each=15, tag_key="acme-anvil-50lb"):
    """`processes` service workers (forked: each its own source, client and Redis pool) asking for the
    first page of `tag_key` from `each` threads at once, all cold; every request's media count (or the
    repr of its exception), for a test to compare."""
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(processes * each), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(build, config, redis_url, tag_key, each, barrier, results))
             for _ in range(processes)]
    for p in procs:
        p.start()
    outcomes = [o for _ in procs for o in results.get(timeout=90)]
    for p in procs:
        p.join(30)
    return outcomes


def _worker(build, config, redis_url, tag_key, each, barrier, results):
    source = build(config, redis.Redis.from_url(redis_url))
    outcomes = []

    def one():
        barrier.wait(30)
        try:
            outcomes.append(len(source.catalogue.product_media(tag_key, "recent", 20, {}).items))
        except Exception as exc:  # reported to the parent, which fails the test
            outcomes.append(repr(exc))

    threads = [threading.Thread(target=one) for _ in range(each)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    results.put(outcomes)
    source.close()

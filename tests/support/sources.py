"""What the sources' own suites share: the service's base settings, sources built against a sandbox
(closed after the test) and a walk of a product's listing through a catalogue."""
from contextlib import contextmanager

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

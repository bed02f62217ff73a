"""The session trap (MomaPIX REST 2.0, "First connection to fetch Bearer Token"): one token for the
whole deployment, opened and logged in under single flight, kept alive, re-opened once on a 401."""
import multiprocessing
import threading

import pytest
import requests

from gallery.media.models import UpstreamError

from tests.support.sources import walk

from .conftest import log, sessions, source_config


def _worker(config, redis_url, barrier, results):
    """One service worker (its own process, client and connection pool): 15 concurrent cold requests."""
    import redis as redis_lib

    from gallery.sources.momapix import build

    source = build(config, redis_lib.Redis.from_url(redis_url))
    outcomes = []

    def one():
        barrier.wait(30)
        try:
            outcomes.append(len(source.catalogue.product_media("acme-anvil-50lb", "recent", 20, {}).items))
        except Exception as exc:  # reported to the parent, which fails the test
            outcomes.append(repr(exc))

    threads = [threading.Thread(target=one) for _ in range(15)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    results.put(outcomes)
    source.close()


def test_thirty_cold_requests_across_two_workers_open_one_session(momapix, rdb, redis_url):
    config = source_config(momapix)
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(30), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(config, redis_url, barrier, results)) for _ in range(2)]
    for p in procs:
        p.start()
    outcomes = [o for _ in procs for o in results.get(timeout=90)]
    for p in procs:
        p.join(30)
    assert outcomes == [6] * 30
    opened = sessions(momapix)
    assert len(opened["sessions"]) == 1 and opened["live"] == 1
    assert opened["sessions"][0]["username"] == "client1"
    assert len([e for e in log(momapix, "/rest/session") if e["method"] == "POST"]) == 1  # one login


def test_the_session_is_kept_alive_not_reopened(momapix, make_source, rdb):
    """When the shared entry lapses (at half of ExpiresIn), the next call renews the same token."""
    source = make_source()
    source.catalogue.product("acme-anvil-50lb")
    (first,) = sessions(momapix)["sessions"]
    requests.post(momapix + "/_sandbox/clock", json={"advance": 3000}, timeout=10)
    rdb.delete("gallery:token:momapix")  # what Redis does when the entry's TTL runs out
    source.catalogue.product_media("test-1-media", "recent", 10, {})
    (renewed,) = sessions(momapix)["sessions"]
    assert renewed["token"] == first["token"] and renewed["ended"] is None
    assert renewed["expires"] > first["expires"]


@pytest.mark.parametrize("how", ["expire", "supersede"])
def test_a_session_ended_mid_walk_is_reopened_once(momapix, make_source, how):
    """Expired, or invalidated by another client's new session: the walk goes on with one new session."""
    catalogue = make_source().catalogue
    first = catalogue.product_media("test-520-media", "recent", 100, {})
    requests.post(momapix + f"/_sandbox/sessions/{how}", timeout=10)
    ids = [m["id"] for m in first.items]
    state = first.next_state
    while state:
        page = catalogue.product_media("test-520-media", "recent", 100, {}, state)
        ids += [m["id"] for m in page.items]
        state = page.next_state
    assert len(ids) == len(set(ids)) == 520
    reasons = [s["end_reason"] for s in sessions(momapix)["sessions"]]
    assert reasons == ["expired" if how == "expire" else "superseded", None]


def test_wrong_credentials_fail_as_credentials_and_open_no_loop(momapix, make_source):
    catalogue = make_source(MOMAPIX_PASSWORD="wrong-password").catalogue
    with pytest.raises(UpstreamError) as err:
        catalogue.product("acme-anvil-50lb")
    assert err.value.kind in ("credentials", "unavailable")
    assert len(sessions(momapix)["sessions"]) == 1  # opened once, login refused: no retry storm
    with pytest.raises(UpstreamError):
        make_source(MOMAPIX_API_KEY="wrong-key").catalogue.product("acme-anvil-50lb")

"""The session trap (MomaPIX REST 2.0, "First connection to fetch Bearer Token"): one token for the
whole deployment, opened and logged in under single flight, kept alive, re-opened once on a 401."""
import pytest
import requests

from gallery.media.models import UpstreamError
from gallery.sources.momapix import build
from tests.support.sources import cold_requests, walk

from .conftest import log, sessions, source_config


def test_thirty_cold_requests_across_two_workers_open_one_session(momapix, rdb, redis_url):
    config = source_config(momapix)
    outcomes = cold_requests(build, config, redis_url)  # 2 workers x 15 threads
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

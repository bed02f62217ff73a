"""Sort orders, as far as they can be seen from outside."""
from datetime import datetime, timedelta

import pytest

from .helpers import CUSTOMER_ID, fixture_key


def parse(ts):
    return datetime.fromisoformat(ts)


@pytest.fixture
def s520(catalogue):
    return catalogue["streams"][fixture_key(520)]["id"]


@pytest.fixture
def s51(catalogue):
    return catalogue["streams"][fixture_key(51)]["id"]


def walk_media(api, path, **params):
    return api.walk_items(path, count=50, disable_embedded_streams=1, disable_embedded_categories=1, **params)


@pytest.mark.parametrize("path", ["/streams/{sid}/media/recent", f"/customers/{CUSTOMER_ID}/media/recent"])
def test_recent_is_date_published_descending(api, s520, path):
    media = walk_media(api, path.format(sid=s520), limit=12)
    dates = [parse(m["date_published"]) for m in media]
    assert len(dates) >= 500
    assert dates == sorted(dates, reverse=True)


def test_recent_ties_break_on_id_descending(api, s520):
    media = walk_media(api, f"/streams/{s520}/media/recent")
    for a, b in zip(media, media[1:]):
        if a["date_published"] == b["date_published"]:
            assert int(a["id"]) > int(b["id"])


def test_photorank_is_stable_and_not_recent(api, s51):
    first = [m["id"] for m in walk_media(api, f"/streams/{s51}/media/photorank")]
    second = [m["id"] for m in walk_media(api, f"/streams/{s51}/media/photorank")]
    recent = [m["id"] for m in walk_media(api, f"/streams/{s51}/media/recent")]
    assert first == second
    assert sorted(first) == sorted(recent)
    assert first != recent
    api.advance(1800 * 3)
    assert [m["id"] for m in walk_media(api, f"/streams/{s51}/media/photorank")] == first, (
        "photorank is a stored score; the clock must not change it"
    )


def test_photorank_is_the_same_after_reset(api, sandbox, s51):
    before = [m["id"] for m in walk_media(api, f"/streams/{s51}/media/photorank")]
    api.op("POST", "/reset")
    assert [m["id"] for m in walk_media(api, f"/streams/{s51}/media/photorank")] == before


def test_shuffled_is_stable_within_a_window(api, s51):
    a = [m["id"] for m in walk_media(api, f"/streams/{s51}/media/shuffled")]
    b = [m["id"] for m in walk_media(api, f"/streams/{s51}/media/shuffled")]
    recent = [m["id"] for m in walk_media(api, f"/streams/{s51}/media/recent")]
    assert a == b
    assert sorted(a) == sorted(recent)
    assert a != recent


def test_shuffled_changes_with_the_30_minute_window(api, s51):
    before = [m["id"] for m in walk_media(api, f"/streams/{s51}/media/shuffled")]
    api.advance(1800)
    after = [m["id"] for m in walk_media(api, f"/streams/{s51}/media/shuffled")]
    assert sorted(before) == sorted(after)
    assert before != after


def test_shuffled_differs_between_collections(api, catalogue):
    """Seeded by collection: two fixture streams of 50 do not share a permutation of positions."""
    a = api.walk_items(f"/streams/{catalogue['streams'][fixture_key(50)]['id']}/media/shuffled", count=50)
    b = api.walk_items(f"/streams/{catalogue['streams'][fixture_key(51)]['id']}/media/shuffled", count=50)
    ra = api.walk_items(f"/streams/{catalogue['streams'][fixture_key(50)]['id']}/media/recent", count=50)
    rb = api.walk_items(f"/streams/{catalogue['streams'][fixture_key(51)]['id']}/media/recent", count=50)
    perm_a = [[m["id"] for m in ra].index(m["id"]) for m in a]
    perm_b = [[m["id"] for m in rb].index(m["id"]) for m in b][:50]
    assert perm_a != perm_b


def test_media_position_is_stable_and_complete(api, catalogue):
    sid = catalogue["streams"][fixture_key(51)]["id"]
    a = api.walk_ids(f"/streams/{sid}/media/media_position", count=20)
    b = api.walk_ids(f"/streams/{sid}/media/media_position", count=50)
    api.advance(1800)
    c = api.walk_ids(f"/streams/{sid}/media/media_position", count=50)
    assert a == b == c
    assert sorted(a) == sorted(api.walk_ids(f"/streams/{sid}/media/recent", count=50))


def rated_prefix_holds(media, now):
    """In `rated` order, every medium published in the last 7 days comes before every other one."""
    fresh = [parse(m["date_published"]) >= now - timedelta(days=7) for m in media]
    k = sum(fresh)
    return fresh == [True] * k + [False] * (len(fresh) - k), k


def test_rated_puts_the_last_7_days_first(api, catalogue):
    sid = catalogue["streams"][fixture_key(51)]["id"]
    before = [m["id"] for m in walk_media(api, f"/streams/{sid}/media/rated")]
    medium = api.upload(stream_id=sid)
    api.approve(medium["id"])
    now = parse(api.now()["now"])
    media = walk_media(api, f"/streams/{sid}/media/rated")
    ok, fresh = rated_prefix_holds(media, now)
    assert ok
    assert fresh >= 1
    assert medium["id"] in [m["id"] for m in media[:fresh]]
    # the seeded media keep their relative (CTR) order behind the fresh ones
    assert [m["id"] for m in media if m["id"] != medium["id"]] == before


def test_rated_forgets_freshness_after_7_days(api, catalogue):
    sid = catalogue["streams"][fixture_key(51)]["id"]
    medium = api.upload(stream_id=sid)
    api.approve(medium["id"])
    assert walk_media(api, f"/streams/{sid}/media/rated")[0]["id"] == medium["id"]
    api.advance(8 * 86400)
    now = parse(api.now()["now"])
    media = walk_media(api, f"/streams/{sid}/media/rated")
    ok, fresh = rated_prefix_holds(media, now)
    assert ok and fresh == 0
    assert medium["id"] in [m["id"] for m in media]


def test_rated_is_stable_and_not_recent(api, s51):
    a = [m["id"] for m in walk_media(api, f"/streams/{s51}/media/rated")]
    b = [m["id"] for m in walk_media(api, f"/streams/{s51}/media/rated")]
    recent = [m["id"] for m in walk_media(api, f"/streams/{s51}/media/recent")]
    photorank = [m["id"] for m in walk_media(api, f"/streams/{s51}/media/photorank")]
    assert a == b
    assert a != recent
    assert a != photorank

"""Pagination invariants: walking `next` yields every visible medium exactly once."""
import pytest

from .helpers import (
    HEX32,
    STREAM_SORTS,
    expected_pages,
    fixture_key,
    media_ids,
    path_of,
    query_of,
)


# the walks only look at ids: leave the embedded streams and categories out to keep them quick
LEAN = {"disable_embedded_streams": 1, "disable_embedded_categories": 1}


def stream_id(catalogue, n):
    entry = catalogue["streams"][fixture_key(n)]
    assert entry["media"] == n
    return entry["id"]


@pytest.mark.parametrize("n", [0, 1, 20, 21, 50, 51, 520])
@pytest.mark.parametrize("sort", STREAM_SORTS)
@pytest.mark.parametrize("count", [None, 20, 50], ids=["default", "20", "50"])
def test_walk_yields_every_medium_once(api, catalogue, n, sort, count):
    sid = stream_id(catalogue, n)
    params = dict(LEAN) if count is None else {"count": count, **LEAN}
    pages = api.walk(f"/streams/{sid}/media/{sort}", **params)
    ids = [i for page in pages for i in media_ids(page)]
    assert len(ids) == len(set(ids)), "a medium was served twice"
    assert len(ids) == n
    per_page = count or 20
    assert len(pages) == expected_pages(n, per_page)
    for page in pages[:-1]:
        assert len(media_ids(page)) == per_page
    # one page_key for the whole walk, page numbers 1..k, the filters/count kept in the links
    keys = {query_of(p["_links"]["self"]["href"])["page_key"] for p in pages}
    assert len(keys) == 1 and HEX32.match(keys.pop())
    assert [query_of(p["_links"]["self"]["href"])["page_number"] for p in pages] == [
        str(i) for i in range(1, len(pages) + 1)
    ]
    for p in pages:
        assert path_of(p["_links"]["self"]["href"]) == f"/streams/{sid}/media/{sort}"
        q = query_of(p["_links"]["self"]["href"])
        assert q.get("count") == (None if count is None else str(count))
        assert q["disable_embedded_streams"] == q["disable_embedded_categories"] == "1"


@pytest.mark.parametrize("sort", STREAM_SORTS)
def test_walk_with_full_embedding(api, catalogue, sort):
    """The same walk with the default (fully embedded) media."""
    sid = stream_id(catalogue, 51)
    pages = api.walk(f"/streams/{sid}/media/{sort}")
    ids = [i for page in pages for i in media_ids(page)]
    assert len(ids) == len(set(ids)) == 51
    assert len(pages) == 3
    assert all("streams:all" in m["_embedded"] for p in pages for m in p["_embedded"]["media"])


@pytest.mark.parametrize("n", [21, 520])
def test_every_sort_walks_the_same_set(api, catalogue, n):
    sid = stream_id(catalogue, n)
    sets = {
        sort: sorted(api.walk_ids(f"/streams/{sid}/media/{sort}", count=50, disable_embedded_streams=1,
                                  disable_embedded_categories=1))
        for sort in STREAM_SORTS
    }
    assert all(s == sets["recent"] for s in sets.values())


def test_prev_first_and_self_links(api, catalogue):
    sid = stream_id(catalogue, 51)
    pages = api.walk(f"/streams/{sid}/media/recent", count=20)
    assert len(pages) == 3
    ids = [media_ids(p) for p in pages]
    assert pages[0]["_links"]["prev"] == {"href": None}
    assert pages[-1]["_links"]["next"] == {"href": None}
    for i in (1, 2):
        prev = api.ok_href(pages[i]["_links"]["prev"]["href"])
        assert media_ids(prev) == ids[i - 1]
        assert query_of(pages[i]["_links"]["prev"]["href"])["page_number"] == str(i)
        first = api.ok_href(pages[i]["_links"]["first"]["href"])
        assert media_ids(first) == ids[0]
        again = api.ok_href(pages[i]["_links"]["self"]["href"])
        assert media_ids(again) == ids[i]


def test_prev_walk_backwards_from_the_last_page(api, catalogue):
    sid = stream_id(catalogue, 520)
    forward = api.walk(f"/streams/{sid}/media/shuffled", count=50)
    page = forward[-1]
    backward = [media_ids(page)]
    while page["_links"]["prev"]["href"] is not None:
        page = api.ok_href(page["_links"]["prev"]["href"])
        backward.append(media_ids(page))
    assert backward[::-1] == [media_ids(p) for p in forward]


def test_each_first_request_opens_a_new_page_key(api, catalogue):
    sid = stream_id(catalogue, 51)
    a = query_of(api.ok(f"/streams/{sid}/media/recent")["_links"]["self"]["href"])["page_key"]
    b = query_of(api.ok(f"/streams/{sid}/media/recent")["_links"]["self"]["href"])["page_key"]
    assert HEX32.match(a) and HEX32.match(b) and a != b


def test_filters_are_kept_in_the_links(api, catalogue):
    sid = catalogue["rights"]["stream"]
    data = api.ok(f"/streams/{sid}/media/recent", count=3, rights_given=1, disable_embedded_categories=1)
    for rel in ("first", "self", "next"):
        q = query_of(data["_links"][rel]["href"])
        assert q["count"] == "3"
        assert q["rights_given"] == "1"
        assert q["disable_embedded_categories"] == "1"


def test_shuffled_walk_survives_a_new_30_minute_window(api, catalogue):
    sid = stream_id(catalogue, 520)
    first = api.ok(f"/streams/{sid}/media/shuffled", count=20)
    api.advance(1800)
    ids = media_ids(first)
    href = first["_links"]["next"]["href"]
    while href:
        page = api.ok_href(href)
        ids += media_ids(page)
        href = page["_links"]["next"]["href"]
    assert len(ids) == len(set(ids)) == 520


def test_medium_approved_mid_walk_causes_no_overlap(api, catalogue):
    sid = stream_id(catalogue, 51)
    pending = api.upload(stream_id=sid, caption="approved mid-walk")
    first = api.ok(f"/streams/{sid}/media/recent", count=20)
    api.approve(pending["id"])
    # the new medium is visible to a fresh walk ...
    assert pending["id"] in api.walk_ids(f"/streams/{sid}/media/recent", count=50)
    # ... but the walk that started before it keeps its frozen list
    ids = media_ids(first)
    href = first["_links"]["next"]["href"]
    while href:
        page = api.ok_href(href)
        ids += media_ids(page)
        href = page["_links"]["next"]["href"]
    assert len(ids) == len(set(ids)) == 51
    assert pending["id"] not in ids


def test_fresh_walk_after_approval_includes_new_medium_once(api, catalogue):
    sid = stream_id(catalogue, 21)
    pending = api.upload(stream_id=sid)
    api.approve(pending["id"])
    ids = api.walk_ids(f"/streams/{sid}/media/recent", count=20)
    assert len(ids) == len(set(ids)) == 22
    assert ids[0] == pending["id"], "a just-approved medium is the most recent"


def test_empty_stream_page(api, catalogue):
    data = api.ok(f"/streams/{stream_id(catalogue, 0)}/media/recent")
    assert data["_embedded"]["media"] is None  # the real API's empty collection (F6); the reference's []
    assert data["_links"]["next"] == {"href": None}
    assert data["_links"]["prev"] == {"href": None}


def test_streams_of_customer_paginate(api):
    pages = api.walk("/customers/215815/streams", count=50)
    ids = [s["id"] for p in pages for s in p["_embedded"]["gallery"]]
    assert len(ids) == len(set(ids)) >= 200
    assert len(pages) == expected_pages(len(ids), 50)


def test_walk_is_logged_as_requests(api, catalogue):
    """Following links really goes over HTTP to the same paths (a sanity check of the walk helper)."""
    sid = stream_id(catalogue, 21)
    api.op("DELETE", "/requests")
    api.walk(f"/streams/{sid}/media/recent", count=20)
    log = api.op("GET", "/requests").json()["requests"]
    assert [e["path"] for e in log] == [f"/streams/{sid}/media/recent"] * 2
    assert [e["status"] for e in log] == [200, 200]


def test_medium_reported_mid_walk_neither_shows_nor_shifts(api, catalogue):
    """Only approved media appear in any list: a medium reported mid-walk drops out of later pages,
    and every other medium is still served exactly once."""
    sid = stream_id(catalogue, 51)
    all_ids = api.walk_ids(f"/streams/{sid}/media/recent", count=50)
    first = api.ok(f"/streams/{sid}/media/recent", count=20)
    victim = all_ids[30]  # on the second page
    resp = api.post(f"/media/{victim}/reports", data={"email": "r@example.com", "reason": "mid-walk"})
    assert resp.status_code == 201
    ids = media_ids(first)
    href = first["_links"]["next"]["href"]
    while href:
        page = api.ok_href(href)
        ids += media_ids(page)
        href = page["_links"]["next"]["href"]
    assert len(ids) == len(set(ids))
    assert victim not in ids
    assert set(ids) == set(all_ids) - {victim}

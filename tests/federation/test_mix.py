"""The mix itself (gallery/media/federation.py), pure: parsing, the weighted schedule, and a federation
over in-memory catalogues whose pages are short, whose dates are odd, or which fail."""
from types import SimpleNamespace

import pytest

from gallery.media.capabilities import Capabilities
from gallery.media.federation import Federated, Member, Mix, choose, parse_mix, schedule
from gallery.media.models import Freshness, InvalidState, NotFound, Page, PaginationExpired, UpstreamError

CAPS = Capabilities(sorts={"product": ("recent", "media_position")})


class Listed:
    """A catalogue of `media` (dicts), `size` per page at most whatever the limit; `fails` while set."""

    def __init__(self, media, size=None, fails=False):
        self.media, self.size, self.fails, self.asked = media, size, fails, 0
        self.expired = False  # its pagination ran out: only the first page answers

    def product_media(self, tag_key, sort, limit, filters, state=None):
        self.asked += 1
        if self.fails:
            raise UpstreamError("unavailable", "down")
        if not self.media:
            raise NotFound(tag_key)
        if state and self.expired:
            raise PaginationExpired("gone")
        start = (state or {}).get("at", 0)
        end = start + min(limit, self.size or limit)
        return Page(self.media[start:end], {"at": end} if end < len(self.media) else None, Freshness(60))


def media(prefix, n, dates=None):
    return [{"id": f"{prefix}{i}", "date_published": dates[i] if dates else None} for i in range(n)]


def walk(federated, limit):
    seen, state, pages = [], None, 0
    while True:
        page = federated.product_media("p", "recent", limit, {}, state)
        seen += [m["id"] for m in page.items]
        state, pages = page.next_state, pages + 1
        if state is None or pages > 100:
            return seen, pages


def test_mixes_parse_and_weights_spread_out():
    assert parse_mix("sequence") == Mix("sequence") and parse_mix(" interleave ") == Mix("interleave")
    assert parse_mix("olapic:2,momapix:1") == Mix("interleave", (("olapic", 2), ("momapix", 1)))
    for bad in ("", "random", "olapic:0", "olapic:101", "olapic:2,olapic:1", "olapic=2"):
        with pytest.raises(ValueError):
            parse_mix(bad)
    assert schedule(["a", "b", "c"], parse_mix("a:3,c:2")) == ["a", "c", "a", "b", "c", "a"]
    assert Mix("interleave", (("b", 3),)).label(["a", "b"]) == "interleave:a=1,b=3"


def test_recent_merges_by_date_whatever_the_offset_and_undated_last():
    a = Listed(media("a", 3, ["2020-01-03T00:00:00+00:00", "2020-01-01T12:00:00Z", None]))
    b = Listed(media("b", 2, ["2020-01-02T00:00:00-05:00", "2020-01-01"]))  # 05:00 UTC; naive: UTC
    federated = Federated([Member("a", a, CAPS), Member("b", b, CAPS)], Mix())
    assert walk(federated, 2)[0] == ["a0", "b0", "a1", "b1", "a2"]


def test_short_member_pages_are_followed_and_limit_holds_across_members():
    a, b = Listed(media("a", 23), size=3), Listed(media("b", 5))
    federated = Federated([Member("a", a, CAPS), Member("b", b, CAPS)], Mix("sequence"))
    seen, pages = walk(federated, 7)
    assert sorted(seen) == sorted(f"a{i}" for i in range(23)) + sorted(f"b{i}" for i in range(5))
    assert len(seen) == len(set(seen)) and seen[:23] == [f"a{i}" for i in range(23)]


def test_a_failing_member_keeps_its_place_and_all_failing_raises():
    a, b = Listed(media("a", 10)), Listed(media("b", 10))
    federated = Federated([Member("a", a, CAPS), Member("b", b, CAPS)], Mix())
    first = federated.product_media("p", "media_position", 4, {})
    b.fails = True
    down = federated.product_media("p", "media_position", 4, {}, first.next_state)
    assert down.partial == ["b"] and [m["id"] for m in down.items] == ["a2", "a3", "a4", "a5"]
    assert down.freshness.stale and down.freshness.max_age <= 5
    a.fails = True
    with pytest.raises(UpstreamError):
        federated.product_media("p", "media_position", 4, {}, down.next_state)
    a.fails = b.fails = False
    rest = walk_from(federated, down.next_state)
    ids = [m["id"] for m in first.items + down.items] + rest
    assert sorted(ids) == sorted(f"{p}{i}" for p in "ab" for i in range(10)) and len(ids) == len(set(ids))


def test_a_member_whose_pagination_expires_leaves_the_walk_and_the_others_go_on():
    a, b = Listed(media("a", 10)), Listed(media("b", 10))
    federated = Federated([Member("a", a, CAPS), Member("b", b, CAPS)], Mix())
    first = federated.product_media("p", "media_position", 4, {})
    b.expired = True
    rest = walk_from(federated, first.next_state)
    ids = [m["id"] for m in first.items] + rest
    # b's first page (read again from its place in it) is all served; its next one has expired
    assert len(ids) == len(set(ids)) and set(ids) == {f"a{i}" for i in range(10)} | {"b0", "b1", "b2", "b3"}


def walk_from(federated, state):
    seen = []
    while state:
        page = federated.product_media("p", "media_position", 4, {}, state)
        seen += [m["id"] for m in page.items]
        state = page.next_state
    return seen


def test_members_that_do_not_know_the_product_are_left_out_and_none_is_not_found():
    known, unknown = Listed(media("a", 2)), Listed([])
    assert walk(Federated([Member("u", unknown, CAPS), Member("a", known, CAPS)], Mix()), 5)[0] == ["a0", "a1"]
    with pytest.raises(NotFound):
        Federated([Member("u", unknown, CAPS)], Mix()).product_media("p", "recent", 5, {})


@pytest.mark.parametrize("state", [{"t": 0, "p": {}}, {"f": 1, "t": -1, "p": {}}, {"f": 1, "t": 0, "p": {"z": None}},
                                   {"f": 1, "t": 0, "p": {"a": [None, "1"]}}, {"f": 1, "t": 0, "p": []}, "x"])
def test_states_it_did_not_make_are_refused(state):
    with pytest.raises(InvalidState):
        Federated([Member("a", Listed(media("a", 2)), CAPS)], Mix()).product_media("p", "recent", 5, {}, state)


def test_a_source_declaring_no_sorts_for_a_scope_has_no_such_listings():
    listed = SimpleNamespace(name="a", capabilities=CAPS)
    empty = SimpleNamespace(name="b", capabilities=Capabilities(sorts={"product": (), "category": ("recent",)}))
    assert choose([listed, empty], "product", "recent", {}) == ([listed], None)
    assert choose([empty, empty], "product", "recent", {}) == (None, ("providers", "no selected provider has product listings"))
    assert choose([empty], "product", "recent", {}) == (None, ("providers", "b: has no product listings"))

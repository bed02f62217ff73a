"""The Olapic media source against the sandbox: products, media listings, pagination, hostile input."""
import time

import pytest
import requests

from gallery.sources.olapic import OlapicCatalogue
from gallery.media.capabilities import SORTS
from gallery.media.models import InvalidState, NotFound, PaginationExpired
from tests.core.conftest import sandbox_requests

ANVIL = "acme-anvil-50lb"


def walk(list_page, limit):
    """Every medium id of a listing, page after page, as our clients would walk it."""
    ids, state, pages = [], None, 0
    while True:
        page = list_page(limit, state)
        assert len(page.items) <= limit
        ids += [m["id"] for m in page.items]
        pages += 1
        state = page.next_state
        if state is None:
            return ids, pages
        assert len(page.items) == limit  # only the last page may be short


def test_product_summary(source, catalogue):
    item = source.product(ANVIL)
    assert item.value == {
        "id": catalogue["streams"][ANVIL]["id"],
        "tag_key": ANVIL,
        "name": "Acme Anvil - 50lb",
        "description": "",
        "url": "https://acme.com/acme-anvil-50lb",
        "image": item.value["image"],
    }
    assert item.value["image"].endswith("/normal.jpg")
    assert 0 < item.freshness.max_age <= 600


def test_customer_is_discovered_once(olapic, sandbox):
    source = OlapicCatalogue(olapic)  # no configured customer id
    source.product(ANVIL)
    source.product("test-20-media")
    assert [r["path"] for r in sandbox_requests(sandbox)] == [
        "/", "/customers/215815/streams/search", "/customers/215815/streams/search",
    ]


def test_configured_customer_is_used_without_discovery(olapic, sandbox):
    OlapicCatalogue(olapic, "215815").product(ANVIL)
    assert [r["path"] for r in sandbox_requests(sandbox)] == ["/customers/215815/streams/search"]


@pytest.mark.parametrize("sort", SORTS)
def test_every_sort_of_product_media(source, catalogue, sort):
    ids, _ = walk(lambda limit, state: source.product_media("test-51-media", sort, limit, {}, state), 20)
    assert len(ids) == len(set(ids)) == catalogue["streams"]["test-51-media"]["media"]


def test_recent_is_newest_first(source):
    items = source.product_media(ANVIL, "recent", 20, {}).items
    dates = [m["date_published"] for m in items]
    assert dates == sorted(dates, reverse=True)
    assert [m["id"] for m in items][:2] == ["3042079992", "3042079997"]


@pytest.mark.parametrize("tag_key", ["test-51-media", "test-520-media"])
@pytest.mark.parametrize("limit", [20, 100, 7])
def test_a_walk_yields_every_medium_exactly_once(source, catalogue, tag_key, limit):
    expected = catalogue["streams"][tag_key]["media"]
    ids, pages = walk(lambda n, state: source.product_media(tag_key, "shuffled", n, {}, state), limit)
    assert len(ids) == len(set(ids)) == expected
    assert pages == -(-expected // limit)


def test_a_page_above_fifty_is_filled_from_several_upstream_pages(source, sandbox):
    page = source.product_media("test-520-media", "recent", 100, {})
    assert len(page.items) == 100
    media_requests = [r for r in sandbox_requests(sandbox, "/streams/") if "/media/" in r["path"]]
    assert len(media_requests) == 2 and media_requests[0]["query"]["count"] == "50"


def test_small_listings_end_without_a_next_state(source):
    assert source.product_media("test-0-media", "recent", 20, {}).items == []
    page = source.product_media("test-20-media", "recent", 20, {})
    assert len(page.items) == 20 and page.next_state is None


def test_filters_are_passed_through(source, catalogue):
    rights = catalogue["rights"]
    tag_key = next(k for k, v in catalogue["streams"].items() if v["id"] == rights["stream"])
    ids, _ = walk(lambda n, state: source.product_media(tag_key, "recent", n, {"rights_given": True}, state), 20)
    assert len(ids) == rights["with_rights"]


@pytest.mark.parametrize("sort", [s for s in SORTS if s != "media_position"])
def test_category_and_brand_media(source, catalogue, sort):
    category = next(iter(catalogue["categories"]))
    for list_page in (
        lambda state: source.category_media(category, sort, 30, {}, state),
        lambda state: source.brand_media(sort, 30, {}, state),
    ):
        first = list_page(None)
        second = list_page(first.next_state)
        ids = [m["id"] for m in first.items + second.items]
        assert len(ids) == len(set(ids)) == 60


def test_media_position_is_for_products_only(source, catalogue):
    with pytest.raises(ValueError):
        source.category_media(next(iter(catalogue["categories"])), "media_position", 20, {})
    with pytest.raises(ValueError):
        source.brand_media("media_position", 20, {})


def test_unknown_and_inactive_products_are_not_found(source, catalogue):
    inactive = next(k for k, v in catalogue["streams"].items() if v["status"] == "INACTIVE")
    for tag_key in ("no-such-product", inactive):
        with pytest.raises(NotFound):
            source.product(tag_key)
        with pytest.raises(NotFound):
            source.product_media(tag_key, "recent", 20, {})
    with pytest.raises(NotFound):
        source.category_media("no-such-category", "recent", 20, {})


def test_not_found_is_cached_too(source, sandbox):
    for _ in range(3):
        with pytest.raises(NotFound):
            source.product("no-such-product")
    assert len(sandbox_requests(sandbox, "/customers/215815/streams/search")) == 1


HOSTILE_KEYS = [
    "../../customers/215816",
    "acme-anvil-50lb/../../media/3042079992",
    "a/b",
    "%2F..%2Fmedia",
    "..",
    ".",
    "with space",
    "?tag_key=acme-anvil-50lb",
    "acme-anvil-50lb&tag_key=other",
    "#fragment",
    "ünïcödé-産品-🦊",
    "x" * 1000,
    "",
]


@pytest.mark.parametrize("tag_key", HOSTILE_KEYS)
def test_hostile_tag_keys_never_change_the_upstream_path(olapic, sandbox, tag_key):
    source = OlapicCatalogue(olapic, "215815")
    with pytest.raises(NotFound):
        source.product_media(tag_key, "recent", 20, {})
    (logged,) = sandbox_requests(sandbox)
    assert logged["path"] == "/customers/215815/streams/search"
    assert logged["query"].get("tag_key", "") == tag_key


def test_lone_surrogates_are_not_found_without_asking(olapic, sandbox):
    with pytest.raises(NotFound):
        OlapicCatalogue(olapic, "215815").product("bad-\ud800")
    assert sandbox_requests(sandbox) == []


def test_medium_by_id(source):
    item = source.medium("3042079992")
    assert item.value["caption"] == "Old school Acme Anvil poster"
    assert [p["tag_key"] for p in item.value["products"]] == [ANVIL]
    with pytest.raises(NotFound):
        source.medium("1")


@pytest.mark.parametrize("media_id", ["../customers/215816", "3042079992/streams", "1 OR 1", "", "%2e%2e"])
def test_medium_ids_are_only_ever_ids(source, sandbox, media_id):
    with pytest.raises(NotFound):
        source.medium(media_id)
    assert sandbox_requests(sandbox) == []


def test_video_and_multi_product_media(source, catalogue):
    video = source.medium(catalogue["video_media"][0]).value
    assert video["type"] == "video" and video["video_url"]
    tagged = source.medium(catalogue["multi_product_media"][0]).value
    assert len(tagged["products"]) >= 2


def test_normalized_media_carry_no_olapic_internals(source):
    text = repr(source.product_media("test-hostile-media", "recent", 20, {}).items)
    for internal in ("_links", "_forms", "_embedded", "_analytics", "auth_token", "page_key"):
        assert internal not in text


# -- continuation states ------------------------------------------------------------------------

def first_state(source, tag_key="test-51-media", sort="recent"):
    return source.product_media(tag_key, sort, 20, {}).next_state


def test_states_are_small_and_key_free(source):
    state = first_state(source)
    assert set(state) == {"href", "skip"} and state["href"].startswith("/streams/")
    assert "auth_token" not in state["href"] and len(state["href"]) < 300


def tampered_states(good, other_stream_id):
    path, query = good["href"].split("?", 1)
    return [
        {"href": good["href"]},
        {"skip": 0},
        {"href": good["href"], "skip": 50},
        {"href": good["href"], "skip": -1},
        {"href": good["href"], "skip": "1"},
        {"href": 42, "skip": 0},
        {"href": "http://evil.example" + good["href"], "skip": 0},
        {"href": "//evil.example" + good["href"], "skip": 0},
        {"href": path.replace("/recent", "/photorank") + "?" + query, "skip": 0},  # another sort
        {"href": path.replace(path.split("/")[2], other_stream_id) + "?" + query, "skip": 0},
        {"href": "/customers/215816?" + query, "skip": 0},
        {"href": path + "/../../../customers/215816?" + query, "skip": 0},
        ["not", "a", "dict"],
    ]


def test_tampered_states_are_invalid_and_never_fetched(source, sandbox, catalogue):
    good = first_state(source)
    requests.delete(sandbox + "/_sandbox/requests", timeout=10)
    for state in tampered_states(good, catalogue["streams"]["test-520-media"]["id"]):
        with pytest.raises(InvalidState):
            source.product_media("test-51-media", "recent", 20, {}, state)
    assert all("/media/" not in r["path"] for r in sandbox_requests(sandbox))


def test_a_state_resumes_only_its_own_listing(source, catalogue):
    state = first_state(source)
    with pytest.raises(InvalidState):
        source.product_media("test-520-media", "recent", 20, {}, state)
    with pytest.raises(InvalidState):
        source.category_media(next(iter(catalogue["categories"])), "recent", 20, {}, state)
    with pytest.raises(InvalidState):
        source.brand_media("recent", 20, {}, state)


def test_expired_upstream_pagination(source, sandbox):
    state = first_state(source)
    requests.post(sandbox + "/_sandbox/clock", json={"advance": 43201}, timeout=10).raise_for_status()
    with pytest.raises(PaginationExpired):
        source.product_media("test-51-media", "recent", 20, {}, state)


def test_freshness_is_the_least_of_the_answers_used(make_client, short_sandbox):
    source = OlapicCatalogue(make_client(short_sandbox, stale_while_revalidate=0), "215815")
    assert source.product("test-520-media").freshness.max_age in (1, 2)  # whole seconds left of max-age=2
    time.sleep(1.1)
    page = source.product_media("test-520-media", "recent", 20, {})  # the product answer has < 1 s left
    assert page.freshness.max_age == 0 and not page.freshness.stale


@pytest.mark.parametrize("on, off", [(True, False), (1, 0), ("1", "0"), ("true", "false")])
def test_filter_values_in_any_spelling(source, sandbox, on, off):
    source.product_media(ANVIL, "recent", 20, {"rights_given": on, "include_tagged_galleries": off,
                                               "not_a_filter": 1, "filter_media_without_products": None})
    (media_request,) = [r for r in sandbox_requests(sandbox) if "/media/" in r["path"]]
    assert media_request["query"]["rights_given"] == "1"
    assert media_request["query"]["include_tagged_galleries"] == "0"
    assert "not_a_filter" not in media_request["query"]
    assert "filter_media_without_products" not in media_request["query"]


def test_another_customers_entities_are_not_found(olapic, sandbox, catalogue):
    other = OlapicCatalogue(olapic, catalogue["other_customer_id"])
    with pytest.raises(NotFound):
        other.product(ANVIL)
    assert sandbox_requests(sandbox)[0]["status"] == 200  # wrapped: the 403 is in metadata.code


def test_fresh_answers_are_repeated_from_process_memory(source, sandbox, redis_client):
    from gallery.media.wrappers import FreshMemo
    from tests.support.processes import wait_for

    source = FreshMemo(source, redis_client)
    source._listening()
    wait_for(lambda: source._listening(), "listening for changes")  # memoises only while it hears them
    first = source.product_media(ANVIL, "recent", 20, {})
    item = source.medium("3042079992")
    redis_client.flushdb()  # neither Redis nor the upstream is needed while the answers are fresh
    again = source.product_media(ANVIL, "recent", 20, {})
    assert again.items == first.items and 0 < again.freshness.max_age <= first.freshness.max_age
    assert source.medium("3042079992").value == item.value
    assert len(sandbox_requests(sandbox)) == 4  # root, product search, its media, the medium: once each
    assert source.product_media(ANVIL, "recent", 5, {}).items == first.items[:5]  # another page size: asked
    assert len(sandbox_requests(sandbox)) == 6  # (Redis was emptied: the product search again, and the page)

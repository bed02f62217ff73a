"""Products, media pages and items of the MomaPIX source over HTTP against its sandbox."""
import pytest
import requests

from gallery.media.models import InvalidState, NotFound, UpstreamError

from tests.support.sources import walk

from .conftest import log

ACCEPT = "application/vnd.api+json; version=2.0"


def test_a_product_is_the_lightbox_described_by_its_tag_key(make_source, mpx_catalogue):
    """Exactly: the near misses (acme-anvil-50lb-archive, ACME-ANVIL-50LB) and another user's lightbox
    with the same description are not it."""
    catalogue = make_source().catalogue
    product = catalogue.product("acme-anvil-50lb").value
    assert product["id"] == mpx_catalogue["products"]["acme-anvil-50lb"]["id"]
    assert product["tag_key"] == "acme-anvil-50lb"
    for missing in ("acme-anvil", "ACME-anvil-50lb", "no-such-product", 'we:ird "key"'):
        with pytest.raises(NotFound):
            catalogue.product(missing)


@pytest.mark.parametrize("lookup", ["lightboxes", "search"])
def test_every_product_shows_exactly_its_published_photos_and_videos(make_source, mpx_catalogue, lookup):
    """Private and trashed items, audio and text items never appear; counts match the sandbox's."""
    catalogue = make_source(MOMAPIX_PRODUCT_LOOKUP=lookup).catalogue
    hidden = set(mpx_catalogue["hidden_media"])
    for tag_key, product in mpx_catalogue["products"].items():
        ids = walk(catalogue, tag_key, limit=100)
        assert len(ids) == len(set(ids)) == product["media"], tag_key
        assert not hidden & set(ids), tag_key


def test_page_size_rounding_is_read_from_meta(make_source, momapix):
    """MomaPIX rounds page[size] (33 -> 50): the source pages by the size the server used."""
    catalogue = make_source(MOMAPIX_PAGE_SIZE=33).catalogue
    requests.delete(momapix + "/_sandbox/requests", timeout=10)
    ids = walk(catalogue, "test-520-media", limit=30)
    assert len(ids) == len(set(ids)) == 520
    sizes = [e["query"]["page[size]"] for e in log(momapix, "/rest/lightbox/")]
    assert sizes[0] == "33" and set(sizes[1:]) == {"50"}
    pages = [int(e["query"]["page[number]"]) for e in log(momapix, "/rest/lightbox/")]
    assert sorted(set(pages)) == list(range(1, 12))  # 520 items in pages of 50


def test_recent_is_newest_date_first_and_media_position_the_lightbox_order(make_source, momapix, mpx_catalogue):
    catalogue = make_source().catalogue
    recent = catalogue.product_media("test-100-media", "recent", 100, {}).items
    dates = [m["date_published"] for m in recent]
    assert dates == sorted(dates, reverse=True)
    curated = [m["id"] for m in catalogue.product_media("test-100-media", "media_position", 100, {}).items]
    assert curated != [m["id"] for m in recent] and len(curated) == 100
    lb = mpx_catalogue["products"]["test-100-media"]["id"]
    assert "sort" not in log(momapix, f"/rest/lightbox/{lb}/items")[-1]["query"]  # the lightbox's own order
    with pytest.raises(ValueError):
        catalogue.product_media("test-100-media", "photorank", 10, {})


def test_media_shape_ids_renditions_and_video(make_source, mpx_catalogue):
    catalogue = make_source().catalogue
    media = {m["id"]: m for m in catalogue.product_media("acme-anvil-50lb", "recent", 100, {}).items}
    fractional = media["2241780.3"]  # kept as text, never a number
    assert fractional["type"] == "image" and fractional["source"] == "momapix"
    assert (fractional["width"], fractional["height"]) == (4000, 2250)
    assert fractional["date_published"].endswith("T00:00:00+00:00")
    sizes = {r["name"]: (r["width"], r["height"]) for r in fractional["renditions"]}
    assert sizes == {"square": (150, 84), "thumbnail": (150, 84), "mobile": (640, 360), "normal": (640, 360)}
    assert "original" not in sizes  # originals are one-time downloads only
    (sizeless,) = mpx_catalogue["sizeless_media"]
    assert media[sizeless]["width"] is None
    assert all(r["width"] is None for r in media[sizeless]["renditions"])
    assert media[sizeless]["caption"] == "Acme Anvil 50lb - scale"  # no caption: the title
    (video,) = [m for m in media.values() if m["type"] == "video"]
    assert video["video_url"].endswith("/stream_m.mp4")
    assert media["2240001"]["products"][0]["tag_key"] == "acme-anvil-50lb"
    for m in media.values():
        assert requests.get(m["renditions"][0]["url"], timeout=10).status_code == 200


def test_medium_by_id_shows_only_published_photos_and_videos(make_source, mpx_catalogue):
    catalogue = make_source().catalogue
    assert catalogue.medium("2241780.3").value["id"] == "2241780.3"
    for hidden in mpx_catalogue["hidden_media"][:8] + ["999999999", "../rest/session", "1e5", "12 3"]:
        with pytest.raises(NotFound):
            catalogue.medium(hidden)


def test_every_request_negotiates_json_api_2(make_source, momapix):
    requests.delete(momapix + "/_sandbox/requests", timeout=10)
    make_source().catalogue.product_media("test-1-media", "recent", 10, {})
    entries = log(momapix)
    assert entries and all(e["headers"]["Accept"] == ACCEPT for e in entries)
    assert all(e["headers"]["Apikey"] == "[redacted]" for e in entries)


def test_a_406_is_a_bad_response_and_never_cached(make_source, momapix):
    catalogue = make_source().catalogue
    catalogue.product("test-1-media")
    requests.post(momapix + "/_sandbox/faults", json={"path_prefix": "/rest/lightbox/", "status": 406, "count": 1},
                  timeout=10)
    with pytest.raises(UpstreamError) as err:
        catalogue.product_media("test-1-media", "recent", 10, {})
    assert err.value.kind == "bad_response"


def test_429_with_retry_after_is_unavailable_with_that_delay(make_source, momapix):
    catalogue = make_source().catalogue
    catalogue.product("test-1-media")
    requests.post(momapix + "/_sandbox/faults", timeout=10, json={
        "path_prefix": "/rest/lightbox/", "status": 429, "headers": {"Retry-After": "7"}})
    with pytest.raises(UpstreamError) as err:
        catalogue.product_media("test-1-media", "recent", 10, {})
    assert (err.value.kind, err.value.retry_after) == ("unavailable", 7)
    calls = len(log(momapix, "/rest/lightbox/"))
    with pytest.raises(UpstreamError):  # failing fast: the next call does not reach the upstream
        catalogue.product_media("test-1-media", "recent", 10, {})
    assert len(log(momapix, "/rest/lightbox/")) == calls


def test_states_of_another_listing_are_refused(make_source, mpx_catalogue):
    catalogue = make_source().catalogue
    state = catalogue.product_media("test-520-media", "recent", 10, {}).next_state
    for bad in ({**state, "lb": mpx_catalogue["products"]["test-251-media"]["id"]}, {**state, "skip": -1},
                {**state, "n": "2"}, {"href": "/rest/session"}, {**state, "extra": 1}):
        with pytest.raises(InvalidState):
            catalogue.product_media("test-520-media", "recent", 10, {}, bad)

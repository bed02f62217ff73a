"""Products, media pages and assets of the Mediagraph source over HTTP against its sandbox."""
import pytest
import requests

from gallery.media.models import InvalidState, NotFound
from tests.support import sandboxes

from tests.support.sources import walk

from .conftest import log

DEMO = "acme-anvil-50lb"


def test_a_product_is_the_collection_named_by_its_tag_key_under_the_parent(make_source, mg_catalogue):
    """Exactly: not the decoy whose name contains the key, not the namesake under "Archive 2019";
    an odd key is only ever a query value."""
    catalogue = make_source().catalogue
    for key in (DEMO, mg_catalogue["odd_product"]):
        product = catalogue.product(key).value
        assert product["id"] == mg_catalogue["products"][key]["id"] and product["tag_key"] == key
    for missing in ("acme-anvil", "ACME-ANVIL-50LB", "no-such-product", "../api/whoami", "acme-anvil-50lb "):
        with pytest.raises(NotFound):
            catalogue.product(missing)



def test_a_configured_map_names_the_collection(make_source, mg_catalogue):
    decoy = str(mg_catalogue["decoys"]["substring"])  # acme-anvil-50lb-v2's collection
    catalogue = make_source(MEDIAGRAPH_COLLECTIONS={"ACME/50 lb?": decoy}).catalogue
    assert catalogue.product("ACME/50 lb?").value["id"] == decoy
    ids = walk(catalogue, "ACME/50 lb?")
    assert len(ids) == mg_catalogue["products"]["acme-anvil-50lb-v2"]["media"]
    assert "ACME/50 lb?" in [p["tag_key"] for p in catalogue.medium(ids[0]).value["products"]]


def test_every_product_shows_exactly_its_publishable_assets(make_source, mg_catalogue):
    """Not processed, expired (flag or date), trashed, NSFW, Text/Document, unsubmitted contributions
    and the child collection's assets never appear; counts match the sandbox's."""
    catalogue = make_source().catalogue
    hidden = set(mg_catalogue["hidden_media"])
    for tag_key, product in mg_catalogue["products"].items():
        ids = walk(catalogue, tag_key, limit=100)
        assert len(ids) == len(set(ids)) == product["media"], tag_key
        assert not hidden & set(ids), tag_key


def test_pages_span_upstream_pages_and_keep_a_snapshot(make_source, mediagraph):
    """limit 100 over per_page 40; page 1 is shared (no snapshot_timestamp), the rest carry the one
    the state kept; Total-Entries ends the walk without asking for the empty page 14."""
    catalogue = make_source(MEDIAGRAPH_PAGE_SIZE=40).catalogue
    sandboxes.clear_requests(mediagraph)
    first = catalogue.product_media("test-520-media", "recent", 100, {})
    assert len(first.items) == 100 and first.next_state["snap"] > 0
    ids = [m["id"] for m in first.items] + walk_from(catalogue, "test-520-media", first.next_state)
    assert len(ids) == len(set(ids)) == 520
    searches = [e["query"] for e in log(mediagraph, "/api/assets/search")]
    assert "snapshot_timestamp" not in searches[0]
    assert {q.get("snapshot_timestamp") for q in searches[1:]} == {str(first.next_state["snap"])}
    assert {q["per_page"] for q in searches} == {"40"}
    assert max(int(q["page"]) for q in searches) == 13  # 520 = 13 x 40: no request past the last page
    assert all(q["collection_id"] and q["omit_child_collections"] == "true" and q["submitted"] == "true"
               for q in searches)


def walk_from(catalogue, key, state):
    ids = []
    while state:
        page = catalogue.product_media(key, "recent", 100, {}, state)
        ids += [m["id"] for m in page.items]
        state = page.next_state
    return ids


@pytest.mark.parametrize("sort, upstream", [("recent", ("created_at", "desc")), ("rated", ("rating", "desc")),
                                            ("media_position", ("custom", "asc"))])
def test_sorts_map_to_true_equivalents(make_source, mediagraph, sort, upstream):
    catalogue = make_source().catalogue
    items = catalogue.product_media("test-51-media", sort, 100, {}).items
    assert len(items) == 51
    query = log(mediagraph, "/api/assets/search")[-1]["query"]
    assert (query["sort"], query["order"]) == upstream
    if sort == "recent":
        dates = [m["date_published"] for m in items]
        assert dates == sorted(dates, reverse=True)
    with pytest.raises(ValueError):
        catalogue.product_media("test-51-media", "photorank", 10, {})


def test_answers_are_cached_for_our_freshness_not_rails_max_age_0(make_source, mediagraph):
    catalogue = make_source(MEDIAGRAPH_CACHE_SECONDS=60).catalogue
    page = catalogue.product_media(DEMO, "recent", 20, {})
    assert 0 < page.freshness.max_age <= 60 and page.freshness.usable_for <= 1800
    calls = len(log(mediagraph))
    catalogue.product_media(DEMO, "recent", 20, {})
    assert len(log(mediagraph)) == calls  # served from the cache


def test_media_shape_renditions_sizes_and_video(make_source, mg_catalogue):
    catalogue = make_source().catalogue
    media = {m["id"]: m for m in catalogue.product_media(DEMO, "recent", 100, {}).items}
    photo = next(m for m in media.values() if m["type"] == "image" and m["width"])
    sizes = {r["name"]: r["width"] for r in photo["renditions"]}
    assert set(sizes) == {"square", "thumbnail", "mobile", "normal", "original"}
    assert sizes["thumbnail"] <= 150 and sizes["mobile"] <= 320 and sizes["normal"] <= 640
    assert photo["source"] == "mediagraph" and photo["products"][0]["tag_key"] == DEMO
    assert photo["date_published"].endswith("+00:00")
    hostile = [m["caption"] for m in catalogue.product_media("test-hostile-media", "recent", 100, {}).items]
    assert any("<script>" in (c or "") for c in hostile)  # plain text, as given: the widget never renders HTML
    (video,) = [m for m in media.values() if m["type"] == "video"]
    assert video["video_url"].split("?")[0].endswith(".mp4")
    for m in media.values():
        assert m["uploader"]["username"] is None and "@" not in str(m["uploader"])  # never a member's email
        assert requests.get(m["renditions"][0]["url"], timeout=10).status_code == 200


def test_medium_by_id_only_publishable_assets_of_product_collections(make_source, mg_catalogue):
    catalogue = make_source().catalogue
    shown = catalogue.product_media(DEMO, "recent", 1, {}).items[0]["id"]
    assert catalogue.medium(shown).value["products"][0]["tag_key"] == DEMO
    for hidden in mg_catalogue["hidden_media"][:12] + ["999999999", "../whoami", "1e5", "12 3", "²"]:
        with pytest.raises(NotFound):
            catalogue.medium(hidden)


def test_states_of_another_listing_are_refused(make_source, mg_catalogue):
    catalogue = make_source().catalogue
    state = catalogue.product_media("test-520-media", "recent", 10, {}).next_state
    other = mg_catalogue["products"]["test-51-media"]["id"]
    for bad in ({**state, "c": other}, {**state, "skip": -1}, {**state, "p": "2"}, {**state, "pp": 500},
                {**state, "snap": True}, {"href": "/api/whoami"}, {**state, "extra": 1}):
        with pytest.raises(InvalidState):
            catalogue.product_media("test-520-media", "recent", 10, {}, bad)

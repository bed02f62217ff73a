"""Search Assets (002 l.680-743; 001 "Search Assets" l.115-431): filters, sorting, paging, totals."""
import pytest


def ids(r):
    return [a["id"] for a in r.json()["assets"]]


def product(cat, key):
    return cat["products"][key]["id"]


def test_default_page_is_ten_with_total_entries(mg, cat):
    # 002 l.18-30: page default 1, per_page default 10, "The total number of records is returned in the
    # Total-Entries response header"; the 002 search sample also has total_entries (l.744).
    r = mg.search(collection_id=product(cat, "test-50-media"))
    assert len(ids(r)) == 10
    assert r.headers["Total-Entries"] == "50"
    assert r.json()["total_entries"] == 50
    assert {"total_display", "ids_in_selection", "all_asset_counts", "assets"} <= set(r.json())
    assert "filters" not in r.json()  # aggregations only with include_totals (l.686)
    assert "filters" in mg.search(collection_id=product(cat, "test-1-media"), include_totals="true").json()


def test_pages_of_520_are_disjoint_and_complete(mg, cat):
    gid = product(cat, "test-520-media")
    seen = []
    for page in range(1, 7):
        seen += ids(mg.search(collection_id=gid, page=page, per_page=100))
    assert len(seen) == len(set(seen)) == 520
    assert ids(mg.search(collection_id=gid, page=7, per_page=100)) == []  # past the end: empty, not an error


@pytest.mark.parametrize("params", [{"per_page": 101}, {"per_page": 0}, {"page": 0}, {"page": "two"},
                                    {"collection_id": "abc"}, {"sort": "popular"}, {"order": "up"},
                                    {"sort": "created_at-sideways"}, {"sort": "created_at-asc", "order": "desc"},
                                    {"aasm_state": "done"}, {"submitted": "maybe"}, {"sortField": "name"},
                                    {"sync": "true"}, {"colection_id": "1"}])
def test_bad_parameters_are_refused(mg, params):
    r = mg.get("/api/assets/search", **params)
    assert r.status_code == 400, r.text[:200]
    assert r.json()["error"] == "bad_request"
    assert "no-store" in r.headers["Cache-Control"]


def test_unknown_collection_is_404(mg):
    assert mg.get("/api/assets/search", collection_id=1).status_code == 404


def test_created_at_sorts_both_ways_and_in_the_001_suffix_form(mg, cat):
    gid = product(cat, "test-11-media")
    # 002 l.738-739: sort enum + "order ... (default: desc)"; 001 l.415: "add '-asc' or '-desc' for direction"
    dates = [a["created_at"] for a in mg.search(collection_id=gid, sort="created_at").json()["assets"]]
    assert dates == sorted(dates, reverse=True)
    asc = ids(mg.search(collection_id=gid, sort="created_at", order="asc", per_page=11))
    assert asc == ids(mg.search(collection_id=gid, sort="created_at-asc", per_page=11))
    assert asc == list(reversed(ids(mg.search(collection_id=gid, sort="created_at", order="desc", per_page=11))))


def test_rating_sort_puts_unrated_last(mg, cat):
    assets = mg.search(collection_id=product(cat, "test-51-media"), sort="rating", per_page=51).json()["assets"]
    ratings = [a["rating"] for a in assets]
    rated = [r for r in ratings if r is not None]
    assert rated == sorted(rated, reverse=True)
    assert ratings == rated + [None] * (len(ratings) - len(rated))


def test_custom_is_the_collections_manual_order(mg, cat):
    gid = product(cat, "test-11-media")
    manual = ids(mg.search(collection_id=gid, sort="custom", order="asc", per_page=11))
    assert sorted(manual) == sorted(ids(mg.search(collection_id=gid, per_page=11)))
    assert manual != ids(mg.search(collection_id=gid, sort="created_at", order="asc", per_page=11))
    assert mg.get("/api/assets/search", sort="custom").status_code == 400  # needs a collection


def test_snapshot_timestamp_hides_assets_created_at_or_after_it(mg, cat):
    # 002 l.713: "Timestamp (in milliseconds) to filter assets created before this time"
    from datetime import datetime
    gid = product(cat, "test-11-media")
    newest = mg.search(collection_id=gid).json()["assets"][0]
    ms = int(datetime.fromisoformat(newest["created_at"].replace("Z", "+00:00")).timestamp() * 1000)
    r = mg.search(collection_id=gid, snapshot_timestamp=ms)
    assert r.headers["Total-Entries"] == "10" and newest["id"] not in ids(r)
    assert mg.search(collection_id=gid, snapshot_timestamp=ms + 1).headers["Total-Entries"] == "11"


def test_processing_states_default_to_processed(mg, cat):
    # 001 l.426: "Defaults to processed unless overridden or upload_id or upload_guid specified"
    hidden, gid = cat["hidden"], product(cat, "acme-anvil-50lb")
    default = ids(mg.search(collection_id=gid, per_page=100))
    for kind in ("processing", "processing_error", "pending"):
        assert hidden[kind] not in default
    states = mg.search(collection_id=gid, aasm_state="processing,processing_error", per_page=100).json()["assets"]
    assert {a["id"] for a in states} == {hidden["processing"], hidden["processing_error"]}
    assert {a["aasm_state"] for a in states} == {"processing", "processing_error"}


def test_search_does_not_hide_what_a_gallery_must_filter_itself(mg, cat):
    """Nothing documents that search leaves out NSFW, expired, unsubmitted or non-image assets: the
    sandbox keeps them (docs/sandbox.md), so a client that forgets its own filter is caught."""
    hidden, gid = cat["hidden"], product(cat, "acme-anvil-50lb")
    listed = {a["id"]: a for a in mg.search(collection_id=gid, per_page=100).json()["assets"]}
    assert listed[hidden["nsfw"]]["nsfw_detected"] is True
    assert listed[hidden["expired"]]["expired"] is True
    assert listed[hidden["expires_at_past"]]["expired"] is False and listed[hidden["expires_at_past"]]["expires_at"]
    assert listed[hidden["unsubmitted_contribution"]]["submitted"] is False
    assert listed[hidden["text"]]["type"] == "Text" and listed[hidden["document"]]["type"] == "Document"
    assert hidden["trashed"] not in listed  # trashed assets are in no search ("moved to trash", l.16668)
    only = mg.search(collection_id=gid, submitted="true", expired="false", per_page=100).json()["assets"]
    assert {a["submitted"] for a in only} == {True} and {a["expired"] for a in only} == {False}


def test_omit_child_collections(mg, cat):
    # 002 l.696: "Omit assets belonging to sub-level Collections (top-level only)"
    gid, child = product(cat, "acme-anvil-50lb"), cat["hidden"]["child_collection"]
    assert child in ids(mg.search(collection_id=gid, per_page=100))
    assert child not in ids(mg.search(collection_id=gid, omit_child_collections="true", per_page=100))


def test_assets_by_id_or_guid_and_trash_is_gone(mg, cat):
    # 002 l.1510: "Get the asset details. ID can also be the Asset GUID."
    one = mg.search(collection_id=product(cat, "test-1-media")).json()["assets"][0]
    by_id = mg.ok("GET", f"/api/assets/{one['id']}")
    assert by_id == mg.ok("GET", f"/api/assets/{one['guid']}")
    assert by_id["download_sizes"] == ["original", "full", "medium", "small"]
    assert mg.get(f"/api/assets/{cat['hidden']['trashed']}").status_code == 404


def test_tags_custom_meta_and_post_search(mg, cat):
    gid = product(cat, "acme-anvil-50lb")
    tagged = mg.search(**{"tags[]": "acme-anvil-50lb", "per_page": 100}).json()["assets"]
    assert tagged and all(any(t["sku"] == "ACME-ANVIL-50LB" for t in a["tags"]) for a in tagged)
    # 002 l.680: "POST is also supported for long lists"; custom_meta is an object (l.730)
    r = mg.request("POST", "/api/assets/search", json={"custom_meta": {"SKU": "ACME-ANVIL-50LB"},
                                                        "collection_id": gid, "per_page": 100})
    assert r.status_code == 200 and {a["id"] for a in r.json()["assets"]} == {a["id"] for a in tagged}
    r = mg.request("POST", "/api/assets/search", data="collection_id=1", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_answers_carry_rails_caching_headers_and_revalidate(mg, cat):
    r = mg.search(collection_id=product(cat, "test-1-media"))
    assert r.headers["Cache-Control"] == "max-age=0, private, must-revalidate"
    again = mg.get("/api/assets/search", headers={"If-None-Match": r.headers["ETag"]},
                   collection_id=product(cat, "test-1-media"))
    assert again.status_code == 304

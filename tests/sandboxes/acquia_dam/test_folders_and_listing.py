"""Folders and asset listings (doc: "Folder JSON Format", "View top level folders", "Get folder
information", "Create a folder", "List assets for a folder"; brief §4.2, §4.3, §4.9)."""
from urllib.parse import quote

import pytest

from .conftest import Dam, running

SLASH_KEY = "acme/anvil 50lb gift set"


def test_top_level_folders_with_the_documents_types(dam):
    top = dam.ok("/folders")
    assert top == dam.ok("/folders/0")  # "GET /folders or GET /folders/0"
    assert {f["parent"] for f in top} == {"0"}
    products = next(f for f in top if f["name"] == "Products")
    assert products["numassets"] == "0" and isinstance(products["numchildren"], int)  # strings and numbers as in the doc
    assert products["passwordprotected"] == "false"
    review = next(f for f in top if f["id"] == dam.catalogue["review_folder"]["id"])
    assert review["properties"] == []  # choice: an empty PHP array is []


@pytest.mark.parametrize("tag_key", ["acme-anvil-50lb", SLASH_KEY])
def test_folder_by_clientfolderid_url_encoded(dam, tag_key):
    """doc note: "clientfolderid=true to treat the id using a clientfolderid"; brief: URL-encoded tag key."""
    folder = dam.ok(f"/folders/{quote(tag_key, safe='')}", clientfolderid="true")
    assert folder["clientfolderid"] == tag_key and folder["status"] == "active"
    listing = dam.ok(f"/folders/{quote(tag_key, safe='')}/assets", clientfolderid="true")
    assert {a["folder"]["id"] for a in listing["items"]} == {folder["id"]}


def test_unknown_folders_are_404(dam):
    assert dam.get("/folders/no-such-product", clientfolderid="true").status_code == 404
    assert dam.get("/folders/acme-anvil-50lb").status_code == 404  # a clientfolderid needs the flag
    assert dam.get("/folders/99999999/assets").status_code == 404
    unencoded = dam.get("/folders/acme/anvil%2050lb%20gift%20set/assets", clientfolderid="true")
    assert unencoded.status_code == 404  # choice: a "/" in a clientfolderid must be sent as %2F


def test_inactive_folder_is_listed_as_inactive(dam):
    (key,) = dam.catalogue["inactive_products"]
    assert dam.ok(f"/folders/{key}", clientfolderid="true")["status"] == "inactive"


def test_clientfolderid_conflict_is_403(dam):
    """doc "Create a folder": "If there is a conflict on uniqueness, a 403 HTTP response code will be issued"."""
    created = dam.request("POST", "/folders", json={"parent": "90600", "clientfolderid": "new-product",
                                                    "name": "New", "status": "active"})
    assert created.status_code == 201 and created.json()["clientfolderid"] == "new-product"
    assert dam.request("POST", "/folders", json={"name": "Dup", "clientfolderid": "acme-anvil-50lb"}).status_code == 403


def test_folders_list_by_ids(dam):
    ids = [dam.folder_id("test-1-media"), dam.folder_id("test-0-media")]
    assert [f["id"] for f in dam.ok("/folders/list", ids=",".join(ids))] == ids


def test_listing_envelope_has_string_numbers(dam):
    """doc sample: "total_count": "1", "offset": 0, "limit": "50", facets of strings (null for none)."""
    page = dam.ok(f"/folders/{dam.folder_id('acme-anvil-50lb')}/assets", sortdir="desc")
    assert page["total_count"] == "12" and page["offset"] == 0 and page["limit"] == "50"
    facets = page["facets"]["types"]
    assert facets == {"image": "9", "document": "1", "audiovideo": "1", "presentation": "1", "other": None}
    item = page["items"][0]
    assert isinstance(item["id"], str) and isinstance(item["width"], str) and isinstance(item["version"], str)
    assert "@" in item["user"]["email"]  # the real API sends the owner's email: clients must never copy it


def test_sortdir_defaults_to_ascending_datecreated(dam):
    """doc: sortby "(Default=datecreated)", sortdir "(Default=asc)"."""
    folder = dam.folder_id("test-50-media")
    default = [a["datecreated"] for a in dam.ok(f"/folders/{folder}/assets")["items"]]
    assert default == sorted(default)
    desc = [a["id"] for a in dam.ok(f"/folders/{folder}/assets", sortdir="desc")["items"]]
    assert desc == [a["id"] for a in dam.ok(f"/folders/{folder}/assets")["items"]][::-1]
    by_name = [a["filename"].lower() for a in dam.ok(f"/folders/{folder}/assets", sortby="filename")["items"]]
    assert by_name == sorted(by_name)


@pytest.mark.parametrize("params", [{"limit": "101"}, {"limit": "0"}, {"limit": "ten"}, {"offset": "-1"},
                                    {"sortby": "rating"}, {"sortdir": "DESC"}, {"types": "photo"},
                                    {"thumbnail_ttl": " 3 min"}, {"thumbnail_ttl": "+5 min"},
                                    {"clientfolderid": "yes"}])
def test_bad_listing_parameters_are_400(dam, params):
    """doc: limit "(Default=50, Maximum=100)", the listed sortby/sortdir/types values, the thumbnail_ttl
    values (choice: an unencoded "+" arrives as a space and is refused)."""
    resp = dam.get(f"/folders/{dam.folder_id('test-1-media')}/assets", **params)
    assert resp.status_code == 400 and resp.json()["error"] == "invalid_request"


def test_limit_over_100_clamped_with_the_flag():
    with running("--clamp-limit") as url:
        dam = Dam(url)
        page = dam.ok(f"/folders/{dam.folder_id('test-520-media')}/assets", limit=500)
        assert page["limit"] == "100" and len(page["items"]) == 100


def test_paging_walks_every_asset_once(dam):
    folder = dam.folder_id("test-520-media")
    items = dam.walk(folder, sortdir="desc")
    assert len(items) == 520 == len({a["id"] for a in items})
    beyond = dam.ok(f"/folders/{folder}/assets", offset=600)
    assert beyond["items"] == [] and beyond["total_count"] == "520"


def test_listings_include_hidden_assets_and_types_filters_them(dam):
    """choice (brief §4.2 "whether listings include inactive or onhold assets is undocumented"): they do."""
    folder = dam.folder_id("test-mixed-media")
    items = dam.walk(folder)
    assert len(items) == 60
    statuses = {a["status"] for a in items}
    assert statuses == {"active", "inactive", "onhold"}
    publishable = [a for a in items if a["status"] == "active" and "thumbnailurls" in a]
    assert len(publishable) == dam.catalogue["products"]["test-mixed-media"]["media"] == 20
    hidden = set(dam.catalogue["hidden_media"])
    assert {a["id"] for a in items} - {a["id"] for a in publishable} <= hidden
    images = dam.ok(f"/folders/{folder}/assets", types="image", limit=100)["items"]
    assert {a["filetype"] for a in images} == {"jpg"}


def test_offsets_drift_when_assets_are_added(dam):
    """brief §4.3: "Offsets drift when assets are added (no snapshot parameter)"."""
    folder = dam.folder_id("test-51-media")
    first = dam.ok(f"/folders/{folder}/assets", sortdir="desc", limit=10)["items"]
    dam.op("POST", "/assets", json={"folder": "test-51-media", "count": 2})
    second = dam.ok(f"/folders/{folder}/assets", sortdir="desc", limit=10, offset=10)["items"]
    assert [a["id"] for a in second[:2]] == [a["id"] for a in first[-2:]]


def test_lightboxes(dam):
    (box,) = dam.ok("/lightboxes")
    assert box["share"] == "false" and box["numItems"] == "3"
    assert len(dam.ok(f"/lightboxes/{box['id']}/assets")["items"]) == 3

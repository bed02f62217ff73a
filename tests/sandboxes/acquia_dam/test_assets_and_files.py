"""Assets, XMP, search, downloads and thumbnail files (doc: "Asset JSON Format", "Get asset information",
"Edit an asset", "View asset XMP metadata", "Search assets", "Download an asset"; brief §4.4, §4.5, §4.9)."""
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from tests.support.processes import stop

from .conftest import Dam, start

SIZES = ["100", "150", "220", "310", "550"]


def _acme(dam, **params):
    return dam.ok(f"/folders/{dam.folder_id('acme-anvil-50lb')}/assets", sortdir="desc", **params)["items"]


def test_images_and_videos_have_five_thumbnail_sizes_documents_none(dam):
    """doc: "Available max dimension are 100px, 150px, 220px, 310px and 550px ... only applies to certain
    types of assets such as image or videos"."""
    items = _acme(dam)
    for a in items:
        if a["filetype"] in ("pdf", "pptx"):
            assert "thumbnailurls" not in a
        else:
            assert [t["size"] for t in a["thumbnailurls"]] == SIZES
    video = dam.ok(f"/assets/{dam.catalogue['video_media'][0]}")
    assert video["filetype"] == "mp4" and len(video["thumbnailurls"]) == 5


def test_thumbnails_fit_inside_their_box(dam):
    photo = _acme(dam)[0]  # 1600 x 1200
    for t in photo["thumbnailurls"]:
        img = Image.open(io.BytesIO(dam.session.get(t["url"], timeout=10).content))
        assert max(img.size) == int(t["size"])
        assert abs(img.size[0] / img.size[1] - 1600 / 1200) < 0.02


def test_550_urls_come_in_both_documented_shapes(dam):
    paths = {urlsplit(a["thumbnailurls"][4]["url"]).path.split("/")[1] for a in _acme(dam) if "thumbnailurls" in a}
    assert paths == {"s", "image_dir"}  # brief §4.4: pick entries by size, never by URL pattern


def test_thumbnail_urls_expire_with_the_requested_ttl(dam):
    now = dam.op("GET", "/clock").json()
    url = _acme(dam, thumbnail_ttl="+3 min")[0]["thumbnailurls"][0]["url"]
    assert url.startswith("http://")  # as in the document's samples
    expires = int(parse_qs(urlsplit(url).query)["Expires"][0])
    from datetime import datetime

    assert abs(expires - datetime.fromisoformat(now["now"]).timestamp() - 180) <= 2
    assert dam.session.get(url, timeout=10).status_code == 200
    dam.advance(182)
    gone = dam.session.get(url, timeout=10)
    assert gone.status_code == 403 and b"AccessDenied" in gone.content


def test_default_ttl_stands_for_the_admin_setting(dam):
    url = _acme(dam)[0]["thumbnailurls"][0]["url"]
    dam.advance(15 * 60 - 5)
    assert dam.session.get(url, timeout=10).status_code == 200
    dam.advance(10)
    assert dam.session.get(url, timeout=10).status_code == 403


def test_no_expiration_urls_carry_no_signature_and_last(dam):
    url = _acme(dam, thumbnail_ttl="no-expiration")[0]["thumbnailurls"][0]["url"]
    assert "?" not in url
    dam.advance(365 * 86400)
    assert dam.session.get(url, timeout=10).status_code == 200


def test_forged_thumbnail_signatures_are_403(dam):
    url = _acme(dam)[0]["thumbnailurls"][0]["url"]
    forged = url.replace("Expires=", "Expires=9") if "Expires=" in url else url
    assert dam.session.get(forged, timeout=10).status_code == 403
    assert dam.session.get(url.split("?")[0], timeout=10).status_code == 403


def test_asset_by_id_and_list(dam):
    ids = [a["id"] for a in _acme(dam)[:3]]
    assert dam.ok(f"/assets/{ids[0]}")["id"] == ids[0]
    assert [a["id"] for a in dam.ok("/assets/list", ids=",".join(ids))] == ids
    assert dam.get("/assets/1").status_code == 404
    sizeless = dam.ok(f"/assets/{dam.catalogue['sizeless_media'][0]}")
    assert "width" not in sizeless and "height" not in sizeless


def test_activating_an_onhold_asset_without_its_metadata_is_409(dam):
    """doc "Edit an asset": "Any attempt to change the status to 'active' for assets that still require
    metadata will return back 409"."""
    onhold = next(a for a in _acme(dam) if a["status"] == "onhold")
    refused = dam.put(f"/assets/{onhold['id']}", json={"status": "active"})
    assert refused.status_code == 409
    field = dam.catalogue["review_folder"]["required_fields"][0]
    assert dam.put(f"/assets/{onhold['id']}/metadatas/xmp", json={field: "Brand use"}).status_code == 200
    assert dam.put(f"/assets/{onhold['id']}", json={"status": "active"}).json()["status"] == "active"


@pytest.mark.parametrize("folder", [lambda f: f, lambda f: {"id": f}])
def test_edit_moves_an_asset_with_folder_as_a_long_or_an_object(dam, folder):
    """doc: the table says "folder" is a long, the curl sends {"id": "90751"}; both are accepted (choice)."""
    asset = _acme(dam)[0]
    target = dam.folder_id("test-0-media")
    moved = dam.put(f"/assets/{asset['id']}", json={"folder": folder(target), "description": "Nice"})
    assert moved.status_code == 200 and moved.json()["folder"]["id"] == target
    assert dam.put(f"/assets/{asset['id']}", json={"colour": "red"}).status_code == 400
    assert dam.put(f"/assets/{asset['id']}", json={"status": "archived"}).status_code == 400


def test_xmp_of_one_or_up_to_50_assets(dam):
    ids = [a["id"] for a in dam.walk(dam.folder_id("test-100-media"))]
    one = dam.ok(f"/assets/{ids[0]}/metadatas/xmp")
    assert one["type"] == "assetxmp" and one["customfield1"] == "test-100-media"
    many = dam.ok(f"/assets/{','.join(ids[:50])}/metadatas/xmp")
    assert [x["assetid"] for x in many] == ids[:50]
    assert dam.get(f"/assets/{','.join(ids[:51])}/metadatas/xmp").status_code == 400  # "The limit is 50 assets"
    assert dam.put(f"/assets/{ids[0]}/metadatas/xmp", json={"notafield": "x"}).status_code == 400


def test_search_needs_a_query_and_one_documented_field(dam):
    """doc "Search assets": query "is required"; "You may only search one Search Field at a time";
    "Only the parameters listed in this section are supported"."""
    assert dam.get("/search").status_code == 400
    found = dam.ok("/search", query="test-51-media", searchfield="customfield1", limit=100)
    assert found["total_count"] == "51"
    assert dam.get("/search", query="x", searchfield="caption").status_code == 400
    assert dam.get("/search", query="x", searchfield=["headline", "keyword"]).status_code == 400
    assert dam.get("/search", query="x", page="2").status_code == 400
    scoped = dam.ok("/search", query="anvil", folderid=dam.folder_id("acme-anvil-50lb"))
    assert {a["folder"]["id"] for a in scoped["items"]} == {dam.folder_id("acme-anvil-50lb")}


def test_download_url_lives_60_seconds(dam):
    asset = _acme(dam)[0]
    raw = dam.get(f"/assets/{asset['id']}/download")
    assert raw.status_code == 200 and Image.open(io.BytesIO(raw.content)).size == (1600, 1200)
    url = dam.ok(f"/assets/{asset['id']}/download", geturl="1", sendNotificationsOff="1", trackDownloadsOff="1")["url"]
    assert dam.session.get(url, timeout=10).status_code == 200
    dam.advance(61)
    assert dam.session.get(url, timeout=10).status_code == 403
    assert dam.session.get(dam.base + f"/assets/{asset['id']}/download", timeout=10).status_code == 401


def test_hostile_descriptions_are_served_verbatim(dam):
    texts = [dam.ok(f"/assets/{i}")["description"] for i in dam.catalogue["hostile_media"]]
    assert any("<script>" in t for t in texts) and any(len(t) > 2000 for t in texts)


def test_document_json_writes_asset_thumbnails_as_the_samples_do():
    """doc (Asset JSON samples: "thumbnailurls": { {...}, ... }); choice: only with --document-json."""
    import json

    url, proc = start("--document-json")
    try:
        dam = Dam(url)
        resp = dam.get(f"/folders/{dam.folder_id('acme-anvil-50lb')}/assets", limit=5)
        assert resp.status_code == 200 and '"thumbnailurls":{{"size":"100"' in resp.text
        with pytest.raises(ValueError):
            json.loads(resp.text)
        folder = dam.get(f"/folders/{dam.folder_id('acme-anvil-50lb')}")  # folders keep their list
        assert isinstance(folder.json()["thumbnailurls"], list)
    finally:
        stop(proc)

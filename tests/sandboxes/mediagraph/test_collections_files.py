"""Collections (002 l.6592-7095; paths from the vendor client) and preview files (the *_url fields, 001
Prepare Asset Upload sample l.3870; 002 renditions l.1085)."""
import io
from urllib.parse import urlsplit

from PIL import Image

BOXES = {"thumb_url": 150, "grid_url": 320, "small_url": 640, "permalink_url": 1200, "full_url": 2048}


def test_collections_search_by_name_is_a_substring_the_client_must_match_exactly(mg, cat):
    # 002 l.6592: "q: Search by name", "parent_id: Parent Collection ID"; an array plus Total-Entries
    r = mg.get("/api/collections", q="acme-anvil-50lb", per_page=50)
    assert r.status_code == 200 and r.headers["Total-Entries"] == "3"
    assert sorted(c["name"] for c in r.json()) == ["acme-anvil-50lb", "acme-anvil-50lb", "acme-anvil-50lb-v2"]
    inside = mg.get("/api/collections", q="acme-anvil-50lb", parent_id=cat["parent_collection"]).json()
    exact = [c for c in inside if c["name"] == "acme-anvil-50lb"]
    assert [c["id"] for c in exact] == [int(cat["products"]["acme-anvil-50lb"]["id"])]
    assert exact[0]["parent_id"] == cat["parent_collection"]


def test_collections_page_by_ten_by_default(mg, cat):
    r = mg.get("/api/collections", parent_id=cat["parent_collection"])
    assert len(r.json()) == 10 and int(r.headers["Total-Entries"]) == len(cat["products"])
    assert mg.get("/api/collections", sortField="colour").status_code == 400


def test_an_odd_tag_key_is_only_a_query_value(mg, cat):
    key = cat["odd_product"]
    found = [c for c in mg.get("/api/collections", q=key, parent_id=cat["parent_collection"]).json()
             if c["name"] == key]
    assert [str(c["id"]) for c in found] == [cat["products"][key]["id"]]
    assert mg.search(collection_id=found[0]["id"]).headers["Total-Entries"] == "2"


def test_collection_details_and_find_by_slug(mg, cat):
    gid = cat["products"]["acme-anvil-50lb"]["id"]
    detail = mg.ok("GET", f"/api/collections/{gid}")
    assert detail["type"] == "Collection" and detail["path_names"] == ["Product galleries", "acme-anvil-50lb"]
    assert [c["name"] for c in detail["collections"]] == ["Outtakes"]
    assert detail["workflow_steps"] and detail["workflow_steps"][0]["asset_group_id"] == int(gid)
    # 002 l.7030: "Find a collection by its slug."
    assert mg.ok("GET", "/api/collections/find", params={"slug": detail["slug"]})["id"] == int(gid)
    assert mg.get("/api/collections/find", slug="no-such-slug").status_code == 404
    assert mg.get("/api/collections/999").status_code == 404


def test_preview_urls_fit_their_boxes_and_renditions_give_sizes(mg, cat):
    asset = mg.search(collection_id=cat["products"]["acme-anvil-50lb"]["id"], include_renditions="true",
                      per_page=1).json()["assets"][0]
    for field, box in BOXES.items():
        r = mg.http.get(asset[field], timeout=30)  # a CDN URL: no credentials
        assert r.status_code == 200 and r.headers["Content-Type"] == "image/jpeg"
        with Image.open(io.BytesIO(r.content)) as img:
            assert max(img.size) <= box
    for rendition in asset["renditions"]:
        if "url" in rendition:
            with Image.open(io.BytesIO(mg.http.get(rendition["url"], timeout=30).content)) as img:
                assert list(img.size) == [rendition["width"], rendition["height"]]
    assert [r["name"] for r in asset["renditions"]] == ["original", "full", "permalink", "small"]
    assert "url" not in asset["renditions"][0]  # the original only through a download


def test_preview_urls_expire_on_the_sandbox_clock(mg, cat):
    """Their lifetime is undocumented: the sandbox signs them (--url-ttl, here 600 s; docs/sandbox.md)."""
    asset = mg.search(collection_id=cat["products"]["test-1-media"]["id"]).json()["assets"][0]
    url = asset["thumb_url"]
    forged = url.replace("sig=", "sig=0")
    assert mg.http.get(forged, timeout=30).status_code == 403
    mg.advance(299)  # valid at least url_ttl / 2 after it was served
    assert mg.http.get(url, timeout=30).status_code == 200
    mg.advance(302)  # and never more than url_ttl
    r = mg.http.get(url, timeout=30)
    assert r.status_code == 403 and b"AccessDenied" in r.content
    fresh = mg.search(collection_id=cat["products"]["test-1-media"]["id"]).json()["assets"][0]["thumb_url"]
    assert urlsplit(fresh).query != urlsplit(url).query
    assert mg.http.get(fresh, timeout=30).status_code == 200


def test_videos_have_an_mp4_rendition_and_image_previews(mg, cat):
    videos = set(cat["video_media"])
    assets = mg.search(collection_id=cat["products"]["test-video-media"]["id"], include_renditions="true").json()
    for a in assets["assets"]:
        if a["id"] in videos:
            assert a["type"] == "Video"
            mp4 = [r for r in a["renditions"] if r["ext"] == "mp4" and r.get("url")]
            assert mp4 and mg.http.get(mp4[0]["url"], timeout=30).headers["Content-Type"] == "video/mp4"
            assert mg.http.get(a["thumb_url"], timeout=30).headers["Content-Type"] == "image/jpeg"


def test_hostile_descriptions_come_back_verbatim(mg, cat):
    assets = mg.search(collection_id=cat["products"]["test-hostile-media"]["id"]).json()["assets"]
    texts = {a["description"] for a in assets}
    assert "<script>alert('mg')</script>" in texts and any(len(t) > 1900 for t in texts)

"""Folders and their assets: only active images and videos of active folders, newest first with an
explicit sortdir, every read naming its thumbnail_ttl, offsets that drift never serving a medium twice,
the document's invalid-JSON samples read, http:// thumbnails upgraded."""
import pytest
import requests

from gallery.media.models import InvalidState, NotFound
from gallery.sources.acquia_dam import normalize
from gallery.sources.acquia_dam.transport import repaired
from tests.support import sandboxes
from tests.support.app import make_app

from tests.support.sources import walk

from .conftest import add_assets, log


def test_only_active_images_and_videos_of_active_folders(make_source, ad_catalogue):
    catalogue = make_source().catalogue
    hidden = set(ad_catalogue["hidden_media"])
    for key in ("acme-anvil-50lb", "test-mixed-media", "test-video-media", "test-hostile-media"):
        ids = walk(catalogue, key, limit=7)
        assert len(ids) == len(set(ids)) == ad_catalogue["products"][key]["media"], key
        assert not hidden & set(ids)
    for inactive in ad_catalogue["inactive_products"]:  # an inactive folder is no product
        with pytest.raises(NotFound):
            catalogue.product(inactive)
    for media_id in sorted(hidden)[:6] + ["0", "../users/me", "3456001,3456002"]:
        with pytest.raises(NotFound):
            catalogue.medium(media_id)
    with pytest.raises(NotFound):  # the review folder's assets are never media, even once active
        catalogue.product(str(ad_catalogue["review_folder"]["id"]))


def test_newest_first_with_explicit_sortdir_and_thumbnail_ttl(make_source, acquia):
    catalogue = make_source(ACQUIA_DAM_THUMBNAIL_TTL="+2 hours").catalogue
    page = catalogue.product_media("test-101-media", "recent", 100, {})
    dates = [m["date_published"] for m in page.items]
    assert dates == sorted(dates, reverse=True) and len(dates) == 100
    reads = [e for e in log(acquia, "/") if e["path"].startswith(("/folders", "/assets"))]
    assert reads and all(e["query"].get("thumbnail_ttl") == "+2 hours" for e in reads)
    listings = [e for e in reads if e["path"].endswith("/assets")]
    assert all(e["query"]["sortdir"] == "desc" and e["query"]["sortby"] == "datecreated" and
               int(e["query"]["limit"]) <= 100 for e in listings)
    with pytest.raises(ValueError):
        catalogue.product_media("test-101-media", "rated", 10, {})


def test_offsets_drifting_mid_walk_never_serve_a_medium_twice(make_source, acquia, ad_catalogue):
    """A curator adds photos while a shopper pages: they lead the list and push every offset down. The
    change feed (or expiry) makes the next pages fresh ones: the walk skips what it already served."""
    catalogue = make_source().catalogue
    before = set(walk(catalogue, "test-101-media", limit=100))
    added = []

    def curator_adds():
        added.extend(add_assets(acquia, "test-101-media", 7))
        catalogue.invalidate("test-101-media")

    ids = walk(catalogue, "test-101-media", limit=20, between=curator_adds)
    assert len(ids) == len(set(ids))
    assert set(ids) == before  # every original once; the new ones are for the next walk from the top
    assert len(added) == 35
    assert set(walk(catalogue, "test-101-media")) == before | set(added)


def test_states_are_checked(make_source):
    catalogue = make_source().catalogue
    state = catalogue.product_media("test-51-media", "recent", 10, {}).next_state
    for forged in ({**state, "f": "90601"}, {**state, "o": -1}, {**state, "s": 101}, {**state, "ids": ["x"]},
                   {**state, "extra": 1}, {"o": 0}, [1]):
        with pytest.raises(InvalidState):
            catalogue.product_media("test-51-media", "recent", 10, {}, forged)


def test_renditions_videos_sizeless_and_hostile(make_source, ad_catalogue):
    catalogue = make_source().catalogue
    media = {m["id"]: m for key in ("acme-anvil-50lb", "test-video-media", "test-hostile-media")
             for m in catalogue.product_media(key, "recent", 100, {}).items}
    photo = media["3456001"]  # 1600 x 1200
    assert [(r["name"], r["width"], r["height"]) for r in photo["renditions"]] == \
        [("square", 100, 75), ("thumbnail", 150, 112), ("mobile", 310, 232), ("normal", 550, 412)]
    assert photo["uploader"] == {"name": "Mara Lens", "username": None, "avatar_url": None}
    assert "@" not in str(media)  # the owners' emails never leave
    for vid in ad_catalogue["video_media"]:
        assert media[vid]["type"] == "video" and media[vid]["renditions"] and media[vid]["video_url"] is None
    for sizeless in ad_catalogue["sizeless_media"]:
        if sizeless in media:
            assert all(r["width"] is None for r in media[sizeless]["renditions"])
    for hostile in ad_catalogue["hostile_media"]:
        assert media[hostile]["caption"]  # as text, verbatim: the widget never renders it as HTML
    assert any("<script>" in media[h]["caption"] for h in ad_catalogue["hostile_media"])


def test_http_thumbnails_are_upgraded_unless_told_not_to(make_source):
    upgraded = make_source(ACQUIA_DAM_UPGRADE_HTTP="1").catalogue.product_media("test-1-media", "recent", 1, {})
    assert all(r["url"].startswith("https://") for r in upgraded.items[0]["renditions"])
    plain = make_source(ACQUIA_DAM_UPGRADE_HTTP="0").catalogue.product_media("test-1-media", "recent", 1, {})
    url = plain.items[0]["renditions"][0]["url"]
    assert url.startswith("http://") and requests.get(url, timeout=10).status_code == 200


def test_the_documents_invalid_json_samples_are_read(make_source):
    """--document-json: asset thumbnailurls as `{ {...}, ... }`, as the document's samples write them."""
    with sandboxes.running("acquia_dam", "--document-json") as url:
        catalogue = make_source(url).catalogue
        media = catalogue.product_media("acme-anvil-50lb", "recent", 100, {}).items
        assert media and all(len(m["renditions"]) == 4 for m in media)
        assert len(catalogue.medium(media[0]["id"]).value["renditions"]) == 4


def test_tolerant_shapes():
    sample = b'{"items":[{"thumbnailurls": {\n { "size": "100", "url": "http://x/s/100.jpg" },\n' \
             b' { "size": "550", "url": "http://x/md.jpg" }\n}}]}'
    assert repaired(sample) is not None and repaired(b"<html>") is None
    shapes = ([{"size": "100", "url": "http://x/a"}], {"100": {"url": "http://x/a"}}, {"100": "http://x/a"},
              {"a": {"size": 100, "url": "http://x/a"}})
    for shape in shapes:
        assert normalize.thumbnails(shape) == {100: "https://x/a"}
    assert normalize.thumbnails([{"size": "100", "url": "javascript:alert(1)"}, None, "x"]) == {}
    asset = {"id": "12", "status": "active", "filetype": "JPG", "width": "890", "height": "748.0",
             "datecreated": "1373466625"}
    assert normalize.publishable(asset) and normalize.medium(asset)["date_published"] == "2013-07-10T14:30:25+00:00"
    assert not normalize.publishable({**asset, "status": "onhold"})
    assert not normalize.publishable({**asset, "filetype": "pdf"})


def test_through_the_api(acquia, redis_url, ad_catalogue):
    client = make_app(redis_url, acquia, sandbox_mode=False, GALLERY_PROVIDERS=["acquia_dam"]).test_client()
    slash = client.get("/api/v1/products/acme%2Fanvil%2050lb%20gift%20set/media")
    assert slash.status_code == 200 and len(slash.json["media"]) == 3
    for sort in ("shuffled", "photorank", "rated", "media_position"):
        answer = client.get("/api/v1/products/acme-anvil-50lb/media", query_string={"sort": sort})
        assert answer.status_code == 400 and answer.json["error"]["field"] == "sort"
    brand = client.get("/api/v1/media")
    assert brand.status_code == 400 and brand.json["error"]["field"] == "providers"
    category = client.get("/api/v1/categories/test-1-media/media")
    assert category.status_code == 200 and len(category.json["media"]) == 1
    sandboxes.fault(acquia, path_prefix="/folders", status=429, headers={"Retry-After": "7"})
    limited = client.get("/api/v1/products/test-50-media/media")
    assert limited.status_code == 503 and limited.headers["Retry-After"] == "7"


def test_a_report_hides_logs_and_counts(acquia, redis_url, caplog):
    """The API has no report endpoint: the medium is hidden here, and the report logged and counted."""
    from gallery.media import observe

    app = make_app(redis_url, acquia, sandbox_mode=False, GALLERY_PROVIDERS=["acquia_dam"],
                   REPORT_LIMITS_PER_IP="100 per minute", REPORT_LIMITS_PER_EMAIL="100 per minute")
    client = app.test_client()
    before = dict(observe.snapshot()).get("reports_logged_total", 0)
    answer = client.post("/api/v1/media/ad-3456002/reports", json={"email": "a@example.com", "reason": "Not mine"})
    assert answer.status_code == 201
    assert dict(observe.snapshot())["reports_logged_total"] == before + 1
    assert "report on asset 3456002" in caplog.text and "a@example.com" not in caplog.text
    assert client.get("/api/v1/media/ad-3456002").status_code == 404
    hidden = client.post("/api/v1/media/ad-3456009/reports", json={"email": "a@example.com", "reason": "x"})
    assert hidden.status_code == 404  # an inactive asset is no medium of ours

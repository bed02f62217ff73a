"""Item edits, uploads, moderation, downloads and reports (doc: "Uploading a new item", "Updating the metadata
of an existing item", "Removing an item from the archive", "Requesting a downloadable object", "Uploaded items")."""
import io
import zipfile

import requests

from .helpers import Client, assert_error, jpeg


def patch(mpx, item_id, **attrs):
    return mpx.request("PATCH", f"/rest/item/{item_id}", json={"data": {"id": item_id, "type": "item", "attributes": attrs}})


def test_patch_moves_an_item_between_sections_and_delete_needs_the_trash(mpx):
    """doc: PATCH answers 204; "an item should be moved to the trash section before it can be deleted"."""
    assert patch(mpx, 2240001, title="A new title", section="private").status_code == 204
    attrs = mpx.ok("/rest/item/2240001", **{"fields[item]": "title,section"})["data"]["attributes"]
    assert attrs == {"title": "A new title", "section": "private"}
    assert_error(mpx.request("DELETE", "/rest/item/2240001"), 403)
    assert patch(mpx, 2240001, section="trash").status_code == 204
    assert mpx.request("DELETE", "/rest/item/2240001").status_code == 204
    assert_error(mpx.get("/rest/item/2240001"), 404)


def test_patch_refusals(mpx):
    assert_error(patch(mpx, 2240001, section="archive"), 400)
    assert_error(patch(mpx, 2240001, xsize=10), 403)
    wrong_id = mpx.request("PATCH", "/rest/item/2240001",
                           json={"data": {"id": 2240002, "type": "item", "attributes": {"title": "x"}}})
    assert_error(wrong_id, 409)
    assert_error(mpx.request("PATCH", "/rest/item/2240001", data="{}", headers={"Content-Type": "application/json"}), 415)


def test_private_items_are_not_found_by_an_anonymous_session(mpx, catalogue):
    hidden = "2240006"  # acme-anvil-50lb's private prototype
    assert mpx.ok(f"/rest/item/{hidden}", **{"fields[item]": "section"})["data"]["attributes"]["section"] == "private"
    anon = Client(mpx.base)
    anon.open()
    assert_error(anon.get(f"/rest/item/{hidden}"), 404)
    assert_error(anon.get("/rest/item/2240007"), 404)  # trash


def test_upload_into_the_private_section(mpx):
    """doc: multipart POST with the file in userfile, extra attributes such as section=private and title; 200 with
    the item and links.event."""
    resp = mpx.upload(section="private", title="Shopper photo", caption="My anvil", reference="upl-0001",
                      product_code="acme-anvil-50lb", byline="Wile E.")
    assert resp.status_code == 200, resp.text
    body = resp.json()
    item = body["data"]
    assert item["type"] == "item"
    attrs = item["attributes"]
    assert (attrs["section"], attrs["title"], attrs["caption"], attrs["reference"]) == \
        ("private", "Shopper photo", "My anvil", "upl-0001")
    assert (attrs["xsize"], attrs["ysize"], attrs["archive"], attrs["mime_type"]) == (300, 200, "photo", "image/jpeg")
    assert body["links"]["event"].endswith(f"/rest/event/{attrs['id_event']}")
    from PIL import Image

    thumb = Image.open(io.BytesIO(requests.get(attrs["url_thumb_m"], timeout=10).content))
    assert thumb.size == (150, 100) and thumb.getpixel((75, 50))[0] > 150  # derived from the red upload
    found = mpx.ok("/rest/search/items", filter="@reference upl-0001")["data"]
    assert [i["id"] for i in found] == [item["id"]]
    report = mpx.ok("/rest/report/uploads")["data"][0]["attributes"]
    assert report["id_item"] == item["id"] and "uploaded in private" in report["action"]


def test_upload_refusals(mpx):
    """The multipart body needs a boundary (brief §2.6), the file must be an image or video, login is needed."""
    no_boundary = mpx.request("POST", "/rest/item", data=b"--x\r\n", headers={"Content-Type": "multipart/form-data"})
    assert_error(no_boundary, 400)
    assert_error(mpx.request("POST", "/rest/item", json={"data": {}}), 415)
    assert_error(mpx.upload(content=b"just some text"), 400)
    assert_error(mpx.request("POST", "/rest/item", data={"title": "x"}, files={"other": ("a.jpg", jpeg())}), 400)
    assert_error(mpx.upload(section="archive"), 400)
    ok = mpx.upload(id_original="3000000")
    assert ok.status_code == 200 and ok.json()["data"]["id"] == 3000000
    assert_error(mpx.upload(id_original="3000000"), 409)
    anon = Client(mpx.base)
    anon.open()
    assert_error(anon.upload(), 401)


def test_upload_alias_and_default_section(mpx):
    """doc: the heading says POST /rest/item, the text "/rest/items": both work; no section means public."""
    resp = mpx.request("POST", "/rest/items", files={"userfile": ("a.jpg", jpeg(), "image/jpeg")})
    assert resp.status_code == 200
    assert resp.json()["data"]["attributes"]["section"] == "public"
    video = mpx.request("POST", "/rest/item", files={"userfile": ("v.mp4", b"\0\0\0\x18ftypisom" + bytes(64), "video/mp4")})
    attrs = video.json()["data"]["attributes"]
    assert attrs["archive"] == "video" and "xsize" not in attrs
    assert requests.get(attrs["url_thumb_l"], timeout=10).content.startswith(b"\xff\xd8")
    assert requests.get(attrs["url_stream_m"], timeout=10).content[4:8] == b"ftyp"


def test_moderation_approve_publishes_into_the_product_lightbox(mpx, catalogue):
    """MomaPIX sandbox: /_sandbox/moderation lists private items; approve makes one public and adds it to the
    lightbox named by its product_code, as a curator would; reject moves it to the trash."""
    item_id = mpx.upload(section="private", product_code="test-1-media", reference="upl-2").json()["data"]["id"]
    queue = mpx.op("GET", "/moderation")["media"]
    assert str(item_id) in [m["id"] for m in queue]  # operator answers write ids as strings
    lb = catalogue["products"]["test-1-media"]["id"]
    assert item_id not in [i["id"] for i in mpx.ok(f"/rest/lightbox/{lb}/items")["data"]]
    approved = mpx.op("POST", f"/moderation/{item_id}/approve")["media"]
    assert approved["attributes"]["section"] == "public"
    assert item_id in [i["id"] for i in mpx.ok(f"/rest/lightbox/{lb}/items")["data"]]
    assert mpx.op("GET", "/catalogue")["products"]["test-1-media"]["media"] == 2
    other = mpx.upload(section="private").json()["data"]["id"]
    assert mpx.op("POST", f"/moderation/{other}/reject")["media"]["attributes"]["section"] == "trash"
    assert str(other) not in [m["id"] for m in mpx.op("GET", "/moderation")["media"]]


def test_one_time_download(mpx):
    """doc: POST /rest/download answers 201 with the object, expirationTime, downloadLimit 1 and a Location;
    GET fetches it; once used or expired it is gone."""
    body = {"data": {"type": "download", "relationships": {"items": {"data": [
        {"type": "item", "id": "2240001", "outputFormat": "jpg", "outputSize": "low"}]}}}}
    resp = mpx.request("POST", "/rest/download", json=body)
    assert resp.status_code == 201
    data = resp.json()["data"]
    assert data["attributes"]["downloadLimit"] == 1 and data["attributes"]["expirationTime"].endswith(" UTC")
    assert resp.headers["Location"] == data["links"]["self"]
    path = data["links"]["self"].split(mpx.base, 1)[1]
    first = mpx.get(path)
    assert first.status_code == 200 and first.content.startswith(b"\xff\xd8")
    assert_error(mpx.get(path), 403)
    again = mpx.request("POST", "/rest/download", json=body).json()["data"]["links"]["self"].split(mpx.base, 1)[1]
    mpx.advance(1800)
    mpx.ok("/rest/session")  # keeps the session (3600 s) alive past the download's hour
    mpx.advance(1801)
    assert_error(mpx.get(again), 403)
    assert_error(mpx.get("/rest/download/0123456789abcdef0123456789abcdef"), 404)


def test_download_partial_and_none_available(mpx):
    """doc: a partial success is 201 with a meta describing the error; none available is 403."""
    refs = [{"type": "item", "id": "2240001"}, {"type": "item", "id": "2240007"}, {"type": "item", "id": "1"}]
    resp = mpx.request("POST", "/rest/download",
                       json={"data": {"type": "download", "relationships": {"items": {"data": refs}}}})
    assert resp.status_code == 201 and len(resp.json()["meta"]["errors"]) == 2
    none = mpx.request("POST", "/rest/download",
                       json={"data": {"type": "download", "relationships": {"items": {"data": refs[1:]}}}})
    assert_error(none, 403)
    two = mpx.request("POST", "/rest/download", json={"data": {"type": "download", "relationships": {"items": {
        "data": [{"type": "item", "id": "2240001"}, {"type": "item", "id": "2240002"}]}}}})
    archive = mpx.get(two.json()["data"]["links"]["self"].split(mpx.base, 1)[1])
    assert sorted(zipfile.ZipFile(io.BytesIO(archive.content)).namelist()) == ["2240001.jpg", "2240002.jpg"]


def test_rendition_files_fit_their_boxes(mpx, catalogue):
    """MomaPIX sandbox: url_thumb_m fits 150 px, url_thumb_l 640 px (configurable), never upscaled; no auth."""
    from PIL import Image

    attrs = mpx.ok("/rest/item/2240001")["data"]["attributes"]  # 3300 x 2200
    for name, box in (("url_thumb_m", 150), ("url_thumb_l", 640)):
        resp = requests.get(attrs[name], timeout=10)
        assert resp.status_code == 200 and resp.headers["Content-Type"] == "image/jpeg"
        assert Image.open(io.BytesIO(resp.content)).size == (box, round(box * 2200 / 3300))
    video = mpx.ok(f"/rest/item/{catalogue['video_media'][0]}", **{"fields[item]": "all"})["data"]["attributes"]
    assert requests.get(video["url_stream_m"], timeout=10).content[4:8] == b"ftyp"


def test_signed_rendition_urls_expire(signed_url):
    """MomaPIX sandbox --signed-urls N: file URLs carry exp and sig, and answer 403 once expired or unsigned."""
    requests.post(signed_url + "/_sandbox/reset", timeout=10)
    c = Client(signed_url)
    c.open()
    url = c.ok("/rest/item/2240001")["data"]["attributes"]["url_thumb_l"]
    assert "exp=" in url and "sig=" in url
    assert requests.get(url, timeout=10).status_code == 200
    assert requests.get(url.split("?")[0], timeout=10).status_code == 403
    assert requests.get(url.replace("sig=", "sig=0"), timeout=10).status_code == 403
    c.advance(601)
    assert requests.get(url, timeout=10).status_code == 403
    settings = c.op("GET", "/catalogue")["credentials"]
    assert (settings["MOMAPIX_THUMB_BOX"], settings["MOMAPIX_PREVIEW_BOX"], settings["MOMAPIX_URLS_VALID_FOR"]) == \
        (200, 800, 600)

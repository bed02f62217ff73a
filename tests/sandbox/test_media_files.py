"""Image files: five real JPEG renditions per medium, of the documented sizes."""
import io

import pytest
import requests
from PIL import Image

from .helpers import WORKED_STREAM_ID, fixture_key, make_image

BOXES = {"thumbnail": 150, "mobile": 320, "normal": 640}


def fetch(url):
    resp = requests.get(url, timeout=30)
    assert resp.status_code == 200, url
    assert resp.headers["Content-Type"] == "image/jpeg", url
    img = Image.open(io.BytesIO(resp.content))
    img.load()
    assert img.format == "JPEG", url
    return img


def check_renditions(medium):
    width, height = int(medium["original_image_width"]), int(medium["original_image_height"])
    imgs = {name: fetch(url) for name, url in medium["images"].items()}
    assert imgs["square"].size == (90, 90)
    assert imgs["original"].size == (width, height)
    for name, box in BOXES.items():
        w, h = imgs[name].size
        assert max(w, h) <= box, (name, w, h)
        if max(width, height) >= box:
            assert max(w, h) >= box - 1, f"{name} {w}x{h} does not fill its {box}px box"
        else:
            assert max(w, h) >= max(width, height) - 1, f"{name} {w}x{h} shrank a {width}x{height} original"
        # ratio kept: each side within a pixel of the scaled original
        scale = max(w, h) / max(width, height)
        assert abs(w - width * scale) <= 1.01 and abs(h - height * scale) <= 1.01, (name, w, h, width, height)
    return imgs


def test_worked_example_renditions(api):
    for medium in api.ok(f"/streams/{WORKED_STREAM_ID}/media/recent")["_embedded"]["media"]:
        check_renditions(medium)


def test_fixture_stream_renditions(api, catalogue):
    sid = catalogue["streams"][fixture_key(21)]["id"]
    media = api.walk_items(f"/streams/{sid}/media/recent", count=50)
    assert len(media) == 21
    for medium in media:
        check_renditions(medium)


def test_customer_first_page_renditions(api):
    for medium in api.ok("/customers/215815/media/photorank", count=10)["_embedded"]["media"]:
        check_renditions(medium)


def test_video_media_have_poster_and_video_url(api, catalogue):
    assert catalogue["video_media"]
    for media_id in catalogue["video_media"][:5]:
        medium = api.ok(f"/media/{media_id}")
        assert medium["type"] == "VIDEO"
        assert isinstance(medium["video_url"], str) and medium["video_url"].startswith(("http://", "https://"))
        check_renditions(medium)  # the poster, in every rendition
        if medium["video_url"].startswith(f"http://{api.host}/"):
            assert requests.get(medium["video_url"], timeout=10).status_code == 200


def test_image_files_are_cached_and_support_etag(api):
    url = api.ok("/media/3042079979")["images"]["normal"]
    resp = requests.get(url, timeout=10)
    assert "max-age=" in resp.headers["Cache-Control"]
    etag = resp.headers["ETag"]
    again = requests.get(url, headers={"If-None-Match": etag}, timeout=10)
    assert again.status_code == 304


def test_unknown_image_is_404(api):
    medium = api.ok("/media/3042079979")
    url = medium["images"]["square"].replace("/square.jpg", "/huge.jpg")
    assert requests.get(url, timeout=10).status_code == 404
    parts = medium["images"]["square"].split("/")
    parts[-2] = "zzzzzzz"
    assert requests.get("/".join(parts), timeout=10).status_code == 404


@pytest.mark.parametrize("via_stash", [True, False], ids=["stash", "direct"])
def test_upload_renditions_come_from_the_uploaded_bytes(api, catalogue, via_stash):
    colour = (255, 0, 128)
    sid = catalogue["streams"][fixture_key(1)]["id"]
    medium = api.upload(stream_id=sid, content=make_image((400, 300), colour), via_stash=via_stash)
    api.approve(medium["id"])
    medium = api.ok(f"/media/{medium['id']}")
    assert (medium["original_image_width"], medium["original_image_height"]) == ("400", "300")
    imgs = check_renditions(medium)
    for name, img in imgs.items():
        px = img.convert("RGB").getpixel((img.width // 2, img.height // 2))
        assert all(abs(a - b) <= 16 for a, b in zip(px, colour)), (name, px)


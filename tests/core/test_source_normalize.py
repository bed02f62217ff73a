"""Olapic JSON to our shapes: pure functions, checked on the reference's own example objects."""
import pytest

from gallery.sources.olapic import normalize

TOKEN = "f48eeae508d1b1f3133df366679eb2b567bae5dc8058d69d679dc5cb140eb857"
API = "//photorankapi-a.akamaihd.net"

# The reference's stream of the worked example ("Retrieving Content using Product ID").
STREAM = {
    "_links": {"self": {"href": f"{API}/streams/2190252887?auth_token={TOKEN}&version=v2.2"}},
    "id": "2190252887",
    "_fixed": True,
    "shop_button_url": None,
    "share_url": None,
    "_embedded": {
        "base_image": {"id": "1", "images": {"normal": "https://photorankmedia-a.akamaihd.net/media/b/normal.jpg"}},
        "media:recent": {"_links": {"self": {"href": f"{API}/streams/2190252887/media/recent?auth_token={TOKEN}&version=v2.2"}}},
    },
    "name": "Acme Anvil - 50lb",
    "description": "",
    "tag_based_key": "acme-anvil-50lb",
    "product_url": "https://acme.com/acme-anvil-50lb",
    "hide_from_related": False,
    "product_info": {"price": None, "availability": None, "stock": None, "color": None},
}

# The reference's first medium of that stream, with the uploader and streams:all of "Get Media by ID".
MEDIUM = {
    "_links": {"self": {"href": f"{API}/media/3042079992?auth_token={TOKEN}&version=v2.2"}},
    "id": "3042079992",
    "_fixed": True,
    "type": "IMAGE",
    "source": "harddrive",
    "source_id": None,
    "original_source": None,
    "caption": "Old school Acme Anvil poster",
    "video_url": None,
    "share_url": "https://acme.com/acme-anvil-50lb#opi3042079992",
    "date_submitted": "2018-10-02T19:31:07+00:00",
    "date_published": "2018-10-02T19:31:58+00:00",
    "favorite": False,
    "location": None,
    "sonar_place": None,
    "original_image_width": "513",
    "original_image_height": "432",
    "status": "approved",
    "likes": 0,
    "request_id": None,
    "images": {
        "square": "https://z2photorankmedia-a.akamaihd.net/media/8/w/d/8wd7rd4/square.jpg",
        "thumbnail": "https://photorankmedia-a.akamaihd.net/media/8/w/d/8wd7rd4/thumbnail.jpg",
        "mobile": "https://z1photorankmedia-a.akamaihd.net/media/8/w/d/8wd7rd4/mobile.jpg",
        "normal": "https://photorankmedia-a.akamaihd.net/media/8/w/d/8wd7rd4/normal.jpg",
        "original": "https://z1photorankmedia-a.akamaihd.net/media/8/w/d/8wd7rd4/original.gif",
    },
    "_embedded": {
        "uploader": {
            "_links": {"self": {"href": f"{API}/users/7?auth_token={TOKEN}&version=v2.2"}},
            "id": "7",
            "name": "Wile E. Coyote",
            "avatar_url": "https://example.com/wile.jpg",
            "username": "genius",
            "social_connections": {"instagram": {"username": "genius", "source_id": "1"}},
        },
        "streams:all": {"_fixed": True, "_embedded": {"stream": [STREAM]}},
    },
    "_forms": {"report": {"action": {"href": f"{API}/media/3042079992/reports"}}},
    "_analytics": {"oid": "x", "t": "media"},
}


def test_product_from_the_reference_stream():
    assert normalize.product(STREAM) == {
        "id": "2190252887",
        "tag_key": "acme-anvil-50lb",
        "name": "Acme Anvil - 50lb",
        "description": "",
        "url": "https://acme.com/acme-anvil-50lb",
        "image": "https://photorankmedia-a.akamaihd.net/media/b/normal.jpg",
    }


def test_medium_from_the_reference_example_matches_docs_api():
    images = MEDIUM["images"]
    assert normalize.medium(MEDIUM) == {
        "id": "3042079992",
        "type": "image",
        "caption": "Old school Acme Anvil poster",
        "source": "harddrive",
        "width": 513,
        "height": 432,
        "date_published": "2018-10-02T19:31:58+00:00",
        "renditions": [
            {"name": "square", "url": images["square"], "width": 90, "height": 90},
            {"name": "thumbnail", "url": images["thumbnail"], "width": 150, "height": 126},
            {"name": "mobile", "url": images["mobile"], "width": 320, "height": 269},
            {"name": "normal", "url": images["normal"], "width": 513, "height": 432},
            {"name": "original", "url": images["original"], "width": 513, "height": 432},
        ],
        "uploader": {"name": "Wile E. Coyote", "username": "genius", "avatar_url": "https://example.com/wile.jpg"},
        "share_url": "https://acme.com/acme-anvil-50lb#opi3042079992",
        "video_url": None,
        "products": [normalize.product(STREAM)],
    }


@pytest.mark.parametrize("width, height, sizes", [
    # the reference's sizes: 1377x1500, 500x404 (never upscaled), 1092x727, a tall and a tiny one
    (1377, 1500, {"thumbnail": (138, 150), "mobile": (294, 320), "normal": (588, 640)}),
    (500, 404, {"thumbnail": (150, 121), "mobile": (320, 259), "normal": (500, 404)}),
    (1092, 727, {"thumbnail": (150, 100), "mobile": (320, 213), "normal": (640, 426)}),
    (100, 4000, {"thumbnail": (4, 150), "mobile": (8, 320), "normal": (16, 640)}),
    (40, 30, {"thumbnail": (40, 30), "mobile": (40, 30), "normal": (40, 30)}),
])
def test_rendition_sizes_fit_their_box_without_upscaling(width, height, sizes):
    medium = dict(MEDIUM, original_image_width=str(width), original_image_height=str(height))
    renditions = {r["name"]: (r["width"], r["height"]) for r in normalize.medium(medium)["renditions"]}
    assert renditions == {"square": (90, 90), **sizes, "original": (width, height)}


def test_video_and_sparse_media():
    video = normalize.medium(dict(MEDIUM, type="VIDEO", video_url="https://v.example/1.mp4"))
    assert video["type"] == "video" and video["video_url"] == "https://v.example/1.mp4"
    sparse = normalize.medium({"id": 5, "images": {"square": "s.jpg"}, "original_image_width": None})
    assert sparse["id"] == "5" and sparse["width"] is None and sparse["products"] == []
    assert sparse["renditions"] == [{"name": "square", "url": "s.jpg", "width": 90, "height": 90}]
    assert sparse["uploader"] == {"name": None, "username": None, "avatar_url": None}


def test_a_single_embedded_stream_object_is_one_product():
    medium = dict(MEDIUM, _embedded={"streams:all": {"_embedded": {"stream": STREAM}}})
    assert [p["id"] for p in normalize.medium(medium)["products"]] == ["2190252887"]


def test_no_olapic_internals_or_tokens():
    text = repr(normalize.medium(MEDIUM))
    for internal in ("_links", "_forms", "_embedded", "_analytics", "_fixed", "auth_token", TOKEN, "likes"):
        assert internal not in text


def test_a_stream_without_base_image_shows_its_cover_media():
    cover = {"id": "7", "images": {"normal": "https://z1photorankmedia-a.akamaihd.net/c/normal.jpg"}}
    stream = {**STREAM, "_embedded": {"base_image": None, "cover_media": cover}}
    assert normalize.product(stream)["image"] == cover["images"]["normal"]
    assert normalize.product({**STREAM, "_embedded": {"base_image": None, "cover_media": None}})["image"] is None


@pytest.mark.parametrize("data", [
    {"id": "215815", "name": "Acme"},  # the reference: straight in data
    {"_links": {}, "_fixed": True, "_embedded": {"customer": {"id": 215815, "name": "Acme"}}},  # the real root
])
def test_the_customer_wrapped_or_not(data):
    assert str(normalize.customer(data)["id"]) == "215815"


@pytest.mark.parametrize("data", [None, [], {}, {"_embedded": None}, {"_embedded": {"customer": None}},
                                  {"_embedded": {"customer": {"name": "no id"}}}])
def test_no_customer_is_none(data):
    assert normalize.customer(data) is None


@pytest.mark.parametrize("media, ids", [(None, []), ([], []), ({"id": "1"}, ["1"]), ([{"id": "1"}, {"id": 2}], ["1", 2])])
def test_media_lists_null_one_or_many(media, ids):
    assert [m["id"] for m in normalize.media_list({"_embedded": {"media": media}})] == ids


def test_numbers_as_strings():
    medium = normalize.medium({**MEDIUM, "original_image_width": "1080", "original_image_height": "1350", "likes": "16"})
    assert (medium["width"], medium["height"]) == (1080, 1350)

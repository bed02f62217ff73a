"""The reference's "Retrieving Content using Product ID" example, verbatim."""
import pytest

from .helpers import CUSTOMER_ID, KEY, VERSION, WORKED_STREAM_ID, WORKED_TAG_KEY, media_ids, query_of

# id, caption, date_submitted, date_published, width, height — in the reference's recent order
WORKED_MEDIA = [
    ("3042079992", "Old school Acme Anvil poster", "2018-10-02T19:31:07+00:00", "2018-10-02T19:31:58+00:00", "513", "432"),
    ("3042079997", "Normal product shot", "2018-10-02T19:31:08+00:00", "2018-10-02T19:31:58+00:00", "500", "500"),
    ("3042079985", "Cool display box", "2018-10-02T19:31:06+00:00", "2018-10-02T19:31:57+00:00", "1377", "1500"),
    ("3042079982", "Crates of Acme Anvils!", "2018-10-02T19:31:04+00:00", "2018-10-02T19:31:55+00:00", "500", "404"),
    ("3042079980", "Acme Anvil on top of beautiful box", "2018-10-02T19:31:02+00:00", "2018-10-02T19:31:55+00:00", "1500", "1429"),
    ("3042079979", "My shiny Acme Anvil!", "2018-10-02T19:31:01+00:00", "2018-10-02T19:31:53+00:00", "1092", "727"),
]
WORKED_IDS = [m[0] for m in WORKED_MEDIA]


@pytest.fixture
def api(reference_api):
    """The example as the reference prints it: a sandbox with --shapes reference (unwrapped root,
    numbers as numbers). test_real_shapes.py walks the same flow in the real API's shapes."""
    return reference_api


def test_root_gives_the_customer_id(api):
    assert api.ok("/")["id"] == CUSTOMER_ID


def test_search_stream_by_key(api):
    s = api.ok(f"/customers/{CUSTOMER_ID}/streams/search", tag_key=WORKED_TAG_KEY)
    assert s["id"] == WORKED_STREAM_ID
    assert s["_fixed"] is True
    assert s["name"] == "Acme Anvil - 50lb"
    assert s["description"] == ""
    assert s["tag_based_key"] == WORKED_TAG_KEY
    assert s["product_url"] == "https://acme.com/acme-anvil-50lb"
    assert s["hide_from_related"] is False
    assert s["shop_button_url"] is None
    assert s["share_url"] is None
    assert s["product_info"] == {"price": None, "availability": None, "stock": None, "color": None}
    for sort in ("recent", "shuffled", "photorank", "rated", "media_position"):
        assert s["_embedded"][f"media:{sort}"]["_links"]["self"]["href"] == (
            f"//{api.host}/streams/{WORKED_STREAM_ID}/media/{sort}?auth_token={KEY}&version={VERSION}"
        )


@pytest.mark.parametrize(
    "path, params",
    [
        (f"/streams/{WORKED_STREAM_ID}/media/recent", {}),
        ("/streams/media/recent", {"tag_key": WORKED_TAG_KEY}),
    ],
    ids=["by-id", "one-request-alias"],
)
def test_media_of_the_stream_in_the_reference_order(api, path, params):
    data = api.ok(path, **params)
    assert media_ids(data) == WORKED_IDS
    links = data["_links"]
    assert links["prev"] == {"href": None}
    assert links["next"] == {"href": None}
    assert links["first"]["href"] == links["self"]["href"]
    q = query_of(links["self"]["href"])
    assert q["page_number"] == "1" and len(q["page_key"]) == 32


@pytest.mark.parametrize("expected", WORKED_MEDIA, ids=WORKED_IDS)
def test_each_medium_as_in_the_reference(api, expected):
    media_id, caption, submitted, published, width, height = expected
    listed = {m["id"]: m for m in api.ok(f"/streams/{WORKED_STREAM_ID}/media/recent")["_embedded"]["media"]}
    for m in (api.ok(f"/media/{media_id}"), listed[media_id]):
        assert m["id"] == media_id
        assert m["_fixed"] is True
        assert m["type"] == "IMAGE"
        assert m["source"] == "harddrive"
        assert m["source_id"] is None
        assert m["original_source"] is None
        assert m["caption"] == caption
        assert m["video_url"] is None
        assert m["share_url"] == f"https://acme.com/acme-anvil-50lb#opi{media_id}"
        assert m["date_submitted"] == submitted
        assert m["date_published"] == published
        assert m["favorite"] is False
        assert m["location"] is None
        assert m["sonar_place"] is None
        assert m["original_image_width"] == width
        assert m["original_image_height"] == height
        assert m["status"] == "approved"
        assert m["likes"] == 0
        assert m["request_id"] is None
        assert m["_links"]["self"]["href"] == f"//{api.host}/media/{media_id}?auth_token={KEY}&version={VERSION}"


def test_worked_media_are_embedded_with_their_stream(api):
    for m in api.ok(f"/streams/{WORKED_STREAM_ID}/media/recent")["_embedded"]["media"]:
        stream_ids = [s["id"] for s in m["_embedded"]["streams:all"]["_embedded"]["stream"]]
        assert WORKED_STREAM_ID in stream_ids


def test_worked_images_follow_the_reference_path_shape(api):
    """`/media/<a>/<b>/<c>/<key>/<rendition>.jpg` where a, b, c are the key's first three characters."""
    for m in api.ok(f"/streams/{WORKED_STREAM_ID}/media/recent")["_embedded"]["media"]:
        keys = set()
        for rendition, url in m["images"].items():
            parts = url.split("/")
            # http: '' host media a b c key file
            assert parts[3] == "media"
            a, b, c, key, filename = parts[4:9]
            assert (a, b, c) == (key[0], key[1], key[2]), url
            assert filename == f"{rendition}.jpg"
            keys.add(key)
        assert len(keys) == 1

"""Every GET endpoint of the reference (and the aliases) answers 200 with the documented HAL shape."""
import re

import pytest

from .helpers import (
    CUSTOMER_ID,
    SORTS,
    STREAM_SORTS,
    WORKED_STREAM_ID,
    WORKED_TAG_KEY,
    assert_envelope,
    check_hrefs,
    path_of,
    query_of,
    root_customer,
    split_template,
)

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")

MEDIA_KEYS = {
    "_links", "id", "_fixed", "type", "source", "source_id", "original_source", "caption", "video_url",
    "share_url", "date_submitted", "date_published", "favorite", "location", "sonar_place",
    "original_image_width", "original_image_height", "status", "likes", "request_id", "images",
    "_embedded", "_forms", "_analytics",
}
STREAM_KEYS = {
    "_links", "id", "_fixed", "shop_button_url", "share_url", "_embedded", "name", "description",
    "tag_based_key", "product_url", "hide_from_related", "status", "product_info", "_analytics",
}
CUSTOMER_KEYS = {
    "_links", "id", "_fixed", "name", "domain", "template_dir", "language", "settings", "views", "_embedded",
    "_forms",
}
CATEGORY_KEYS = {"_links", "id", "_fixed", "name", "key", "product_url", "settings", "_embedded"}
USER_KEYS = {
    "_links", "id", "_fixed", "name", "avatar_url", "language", "username", "social_connections", "_embedded",
    "_forms",
}
WIDGET_KEYS = {"_links", "id", "_fixed", "_embedded", "name", "type", "settings"}
STYLE_KEYS = {"_links", "id", "_fixed", "type", "name"}
RENDITIONS = {"square", "thumbnail", "mobile", "normal", "original"}


def self_path(entity):
    return path_of(entity["_links"]["self"]["href"])


def check_medium(m, host):
    assert MEDIA_KEYS <= set(m), MEDIA_KEYS - set(m)
    assert re.fullmatch(r"\d+", m["id"])
    assert self_path(m) == f"/media/{m['id']}"
    assert m["_fixed"] is True
    assert m["type"] in ("IMAGE", "VIDEO")
    assert m["status"] == "approved"
    assert ISO.match(m["date_published"]), m["date_published"]
    assert ISO.match(m["date_submitted"]), m["date_submitted"]
    assert re.fullmatch(r"\d+", m["original_image_width"]) and re.fullmatch(r"\d+", m["original_image_height"])
    assert isinstance(m["favorite"], bool)
    assert set(m["images"]) == RENDITIONS
    for name, url in m["images"].items():
        assert re.fullmatch(rf"http://{re.escape(host)}/media/[^/]+/[^/]+/[^/]+/[^/]+/{name}\.jpg", url), url
    emb = m["_embedded"]
    assert {"uploader", "streams:all", "categories:all"} <= set(emb)
    uploader = emb["uploader"]
    assert self_path(uploader) == f"/users/{uploader['id']}"
    assert path_of(emb["streams:all"]["_links"]["self"]["href"]) == f"/media/{m['id']}/streams"
    assert isinstance(emb["streams:all"]["_embedded"]["stream"], list)
    assert path_of(emb["categories:all"]["_links"]["self"]["href"]) == f"/media/{m['id']}/categories"
    assert isinstance(emb["categories:all"]["_embedded"]["category"], list)
    report = m["_forms"]["report"]
    assert report["method"] == "POST"
    assert report["action"]["href"] == f"//{host}/media/{m['id']}/reports"
    assert m["_analytics"]["t"] == "media"


def check_stream(s, host, embedded=True):
    assert STREAM_KEYS <= set(s), STREAM_KEYS - set(s)
    assert self_path(s) == f"/streams/{s['id']}"
    assert s["_analytics"]["t"] == "gallery"
    assert {"price", "availability", "stock", "color"} <= set(s["product_info"])
    if embedded:
        emb = s["_embedded"]
        assert {"customer", "base_image", "cover_media"} <= set(emb), set(emb)
        for sort in STREAM_SORTS:
            assert path_of(emb[f"media:{sort}"]["_links"]["self"]["href"]) == f"/streams/{s['id']}/media/{sort}"


def check_customer(c, host):
    assert CUSTOMER_KEYS <= set(c), CUSTOMER_KEYS - set(c)
    assert c["id"] == CUSTOMER_ID
    assert self_path(c) == f"/customers/{CUSTOMER_ID}"
    emb = c["_embedded"]
    assert {"user", "media", "media:recent", "media:shuffled", "media:photorank", "media:rated"} <= set(emb)
    for sort in SORTS:
        assert path_of(emb[f"media:{sort}"]["_links"]["self"]["href"]) == f"/customers/{CUSTOMER_ID}/media/{sort}"
    assert {"streams:search", "categories:search", "stashes:create", "users:create"} <= set(c["_forms"])


def check_category(c, host, embedded=True):
    assert CATEGORY_KEYS <= set(c), CATEGORY_KEYS - set(c)
    assert self_path(c) == f"/categories/{c['id']}"
    assert "media:recent" in c["_embedded"]
    if embedded:
        assert "customer" in c["_embedded"]
        for sort in SORTS:
            href = c["_embedded"][f"media:{sort}"]["_links"]["self"]["href"]
            assert path_of(href) == f"/categories/{c['id']}/media/{sort}"


def check_user(u, host):
    assert USER_KEYS <= set(u), USER_KEYS - set(u)
    assert self_path(u) == f"/users/{u['id']}"
    assert isinstance(u["social_connections"], (dict, list))
    assert "media:recent" in u["_embedded"]
    assert u["_forms"]["media:upload"]["action"]["href"] == f"//{host}/users/{u['id']}/media"
    assert u["_forms"]["media:upload"]["method"] == "POST"


def check_widget(w, host):
    assert WIDGET_KEYS <= set(w), WIDGET_KEYS - set(w)
    assert self_path(w) == f"/widgets/{w['id']}"
    assert "customer" in w["_embedded"]


def check_style(w, host):
    assert STYLE_KEYS <= set(w), STYLE_KEYS - set(w)
    assert self_path(w) == f"/widgets/settings/{w['id']}"


CHECKS = {
    "customer": check_customer,
    "media": check_medium,
    "stream": check_stream,
    "category": check_category,
    "user": check_user,
    "widget": check_widget,
    "style": check_style,
}
# collection key in `_embedded` -> checker of its items
ITEMS = {
    "media": check_medium,
    "gallery": lambda s, host: check_stream(s, host, embedded=False),
    "stream": lambda s, host: check_stream(s, host, embedded=False),
    "category": lambda c, host: check_category(c, host, embedded=False),
    "widgetinstance": check_widget,
    "widget": check_style,
}

ENTITY_ENDPOINTS = [
    ("/", "customer"),
    ("/customers/{customer}", "customer"),
    ("/media/{medium}", "media"),
    ("/streams/{stream}", "stream"),
    ("/customers/{customer}/streams/search?tag_key={tag_key}", "stream"),
    ("/customers/{customer}/streams/bytag/{tag_key}", "stream"),
    ("/streams/bytag/{tag_key}", "stream"),
    ("/categories/{category}", "category"),
    ("/customers/{customer}/categories/search?tag_key={category_key}", "category"),
    ("/users/{user}", "user"),
    ("/customers/{customer}/instagram_users/{handle}", "user"),
    ("/widgets/{widget}", "widget"),
    ("/widgets/settings/{style}", "style"),
]

COLLECTION_ENDPOINTS = (
    [(f"/customers/{{customer}}/media/{sort}", "media") for sort in SORTS]
    + [(f"/streams/{{stream}}/media/{sort}", "media") for sort in STREAM_SORTS]
    + [(f"/streams/media/{sort}?tag_key={{tag_key}}", "media") for sort in STREAM_SORTS]
    + [(f"/categories/{{category}}/media/{sort}", "media") for sort in SORTS]
    + [(f"/categories/media/{sort}?tag_key={{category_key}}", "media") for sort in SORTS]
    + [
        ("/users/{user}/media/recent", "media"),
        ("/customers/{customer}/instagram_users/{handle}/media/recent", "media"),
        ("/customers/{customer}/streams", "gallery"),
        ("/categories/{category}/streams", "gallery"),
        ("/customers/{customer}/categories", "category"),
        ("/streams/{category_stream}/categories", "category"),
        ("/customers/{customer}/widgets", "widgetinstance"),
        ("/customers/{customer}/widgets/settings", "widget"),
    ]
)

# not paginated in the reference (`"_links": []`)
MEDIUM_SUBCOLLECTIONS = [
    ("/media/{medium}/streams", "stream"),
    ("/media/{category_medium}/categories", "category"),
]


@pytest.fixture
def ctx(api, catalogue):
    category_key, category_id = next(iter(catalogue["categories"].items()))
    category_streams = api.ok(f"/categories/{category_id}/streams")["_embedded"]["gallery"]
    category_media = api.ok(f"/categories/{category_id}/media/recent")["_embedded"]["media"]
    assert category_streams and category_media, "the seeded category groups no streams or media"
    return {
        "customer": CUSTOMER_ID,
        "stream": WORKED_STREAM_ID,
        "tag_key": WORKED_TAG_KEY,
        "medium": "3042079992",
        "category": category_id,
        "category_key": category_key,
        "category_stream": category_streams[0]["id"],
        "category_medium": category_media[0]["id"],
        "user": catalogue["users"]["instagram"]["id"],
        "handle": catalogue["users"]["instagram"]["handle"],
        "widget": catalogue["widget_instance"],
        "style": catalogue["widget_style"],
    }


@pytest.mark.parametrize("template, kind", ENTITY_ENDPOINTS)
def test_entity_endpoint(api, ctx, template, kind):
    path, params = split_template(template, ctx)
    data = api.ok(path, **params)
    if path == "/":  # the real API's root wraps the customer
        data = root_customer(data)
    assert data["_fixed"] is True
    CHECKS[kind](data, api.host)
    check_hrefs(data, api.host)


@pytest.mark.parametrize("template, key", COLLECTION_ENDPOINTS)
def test_collection_endpoint(api, ctx, template, key):
    path, params = split_template(template, ctx)
    data = api.ok(path, **params)
    links = data["_links"]
    assert set(links) >= {"first", "self", "prev", "next"}
    for rel in ("first", "self"):
        q = query_of(links[rel]["href"])
        assert q["page_number"] == "1"
        assert re.fullmatch(r"[0-9a-f]{32}", q["page_key"])
    assert links["prev"]["href"] is None
    items = data["_embedded"][key]
    assert isinstance(items, list) and items, f"{path} returned no {key}"
    for item in items:
        ITEMS[key](item, api.host)
    check_hrefs(data, api.host)


@pytest.mark.parametrize("template, key", MEDIUM_SUBCOLLECTIONS)
def test_medium_subcollection(api, ctx, template, key):
    path, params = split_template(template, ctx)
    data = api.ok(path, **params)
    assert data["_links"] in ([], {}) or "self" in data["_links"]
    items = data["_embedded"][key]
    assert isinstance(items, list) and items
    for item in items:
        ITEMS[key](item, api.host)
    check_hrefs(data, api.host)


@pytest.mark.parametrize("sort", SORTS)
def test_media_collections_embed_the_customer(api, sort):
    data = api.ok(f"/streams/{WORKED_STREAM_ID}/media/{sort}")
    assert data["_embedded"]["customer"]["id"] == CUSTOMER_ID


@pytest.mark.parametrize(
    "alias, canonical",
    [
        (("/streams/media/recent", {"tag_key": WORKED_TAG_KEY}), (f"/streams/{WORKED_STREAM_ID}/media/recent", {})),
        ((f"/streams/bytag/{WORKED_TAG_KEY}", {}), (f"/streams/{WORKED_STREAM_ID}", {})),
        ((f"/customers/{CUSTOMER_ID}/streams/bytag/{WORKED_TAG_KEY}", {}), (f"/streams/{WORKED_STREAM_ID}", {})),
        ((f"/customers/{CUSTOMER_ID}/streams/search", {"tag_key": WORKED_TAG_KEY}), (f"/streams/{WORKED_STREAM_ID}", {})),
    ],
)
def test_stream_aliases_answer_like_the_canonical_path(api, alias, canonical):
    a = api.ok(alias[0], **alias[1])
    c = api.ok(canonical[0], **canonical[1])
    if "_embedded" in a and "media" in a["_embedded"]:
        assert [m["id"] for m in a["_embedded"]["media"]] == [m["id"] for m in c["_embedded"]["media"]]
    else:
        assert a["id"] == c["id"] == WORKED_STREAM_ID
        assert a["name"] == c["name"]


@pytest.mark.parametrize("sort", SORTS)
def test_category_alias_answers_like_the_category(api, catalogue, sort):
    key, category_id = next(iter(catalogue["categories"].items()))
    lean = {"count": 50, "disable_embedded_streams": 1, "disable_embedded_categories": 1}
    if sort == "shuffled":  # same collection, same set (the order is only fixed per collection)
        a = api.walk_ids("/categories/media/shuffled", tag_key=key, **lean)
        c = api.walk_ids(f"/categories/{category_id}/media/shuffled", **lean)
        assert sorted(a) == sorted(c) and a
    else:  # the first pages, in the same order
        a = api.walk_ids(f"/categories/media/{sort}", tag_key=key, limit=3, **lean)
        c = api.walk_ids(f"/categories/{category_id}/media/{sort}", limit=3, **lean)
        assert a == c and len(a) == 150


def test_category_search_finds_each_seeded_category(api, catalogue):
    for key, category_id in catalogue["categories"].items():
        data = api.ok(f"/customers/{CUSTOMER_ID}/categories/search", tag_key=key)
        assert data["id"] == str(category_id)
        assert data["key"] == key


def test_category_streams_belong_to_the_category(api, catalogue):
    key, category_id = next(iter(catalogue["categories"].items()))
    for stream in api.ok(f"/categories/{category_id}/streams", count=50)["_embedded"]["gallery"]:
        cats = api.ok(f"/streams/{stream['id']}/categories")["_embedded"]["category"]
        assert str(category_id) in [c["id"] for c in cats]


def test_user_media_are_the_users(api, catalogue):
    user_id = catalogue["users"]["instagram"]["id"]
    for m in api.ok(f"/users/{user_id}/media/recent")["_embedded"]["media"]:
        assert m["_embedded"]["uploader"]["id"] == str(user_id)


def test_instagram_user_lookup(api, catalogue):
    ig = catalogue["users"]["instagram"]
    user = api.ok(f"/customers/{CUSTOMER_ID}/instagram_users/{ig['handle']}")
    assert user["id"] == str(ig["id"])
    assert user["social_connections"]["instagram"]["username"] == ig["handle"]
    by_id = api.walk_ids(f"/users/{ig['id']}/media/recent", count=50)
    by_handle = api.walk_ids(f"/customers/{CUSTOMER_ID}/instagram_users/{ig['handle']}/media/recent", count=50)
    assert by_id == by_handle and by_id


def test_widget_instance_embeds_its_style(api, catalogue):
    w = api.ok(f"/widgets/{catalogue['widget_instance']}")
    assert w["_embedded"]["customer"]["id"] == CUSTOMER_ID
    setting = w["_embedded"]["setting"]
    assert self_path(setting) == f"/widgets/settings/{setting['id']}"


def test_stream_by_id_matches_search(api):
    s = api.ok(f"/streams/{WORKED_STREAM_ID}")
    assert s["_embedded"]["customer"]["id"] == CUSTOMER_ID
    check_stream(s, api.host)


def test_customer_media_collection_embeds_customer(api):
    data = api.ok(f"/customers/{CUSTOMER_ID}/media/recent")
    assert data["_embedded"]["customer"]["id"] == CUSTOMER_ID
    assert_envelope(api(f"/customers/{CUSTOMER_ID}/media/recent"))

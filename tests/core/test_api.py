"""/api/v1 against the sandbox over HTTP and a real Redis: endpoints, sorts, params, errors, headers."""
import pytest
import requests

from gallery.media.capabilities import SORTS

COLLECTION_SORTS = [s for s in SORTS if s != "media_position"]
MEDIA_FIELDS = {"id", "type", "caption", "source", "width", "height", "date_published", "renditions",
                "uploader", "share_url", "video_url", "products", "provider", "kind", "credit"}
INTERNALS = ("_links", "_forms", "_embedded", "_analytics", "auth_token", "page_key")


def assert_cacheable(response, app):
    cache_control = response.headers["Cache-Control"]
    assert cache_control.startswith("public, max-age=")
    assert f"stale-while-revalidate={app.config['STALE_WHILE_REVALIDATE']}" in cache_control
    assert f"stale-if-error={app.config['STALE_IF_ERROR']}" in cache_control
    etag = response.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")


def assert_clean(response):
    text = response.get_data(as_text=True)
    for internal in INTERNALS:
        assert internal not in text


def test_product_summary(client, app, catalogue):
    response = client.get("/api/v1/products/acme-anvil-50lb")
    assert response.status_code == 200
    assert response.json == {"product": {
        "id": "2190252887", "tag_key": "acme-anvil-50lb", "name": "Acme Anvil - 50lb",
        "description": response.json["product"]["description"],
        "url": "https://acme.com/acme-anvil-50lb", "image": response.json["product"]["image"],
    }}
    assert_cacheable(response, app)
    assert_clean(response)
    max_age = int(response.headers["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert 0 < max_age <= 600  # the sandbox's max-age, counted down


def test_worked_example_media_are_normalized(client, app):
    response = client.get("/api/v1/products/acme-anvil-50lb/media")
    assert response.status_code == 200
    assert_cacheable(response, app)
    assert_clean(response)
    media = response.json["media"]
    assert response.json["next"] is None
    ids = [m["id"] for m in media]
    assert ids[:2] == ["3042079992", "3042079997"]  # recent: the reference's order
    first = media[0]
    assert set(first) == MEDIA_FIELDS
    assert first["type"] == "image" and first["caption"] == "Old school Acme Anvil poster"
    assert first["share_url"] == "https://acme.com/acme-anvil-50lb#opi3042079992"
    assert (first["width"], first["height"]) == (513, 432)
    sizes = {r["name"]: (r["width"], r["height"]) for r in first["renditions"]}
    assert sizes == {"square": (90, 90), "thumbnail": (150, 126), "mobile": (320, 269),
                     "normal": (513, 432), "original": (513, 432)}
    assert set(first["uploader"]) == {"name", "username", "avatar_url"}
    assert "acme-anvil-50lb" in [p["tag_key"] for p in first["products"]]
    assert set(first["products"][0]) == {"id", "tag_key", "name", "url", "image"}


@pytest.mark.parametrize("sort", SORTS)
def test_every_sort_of_a_product(client, sort):
    response = client.get(f"/api/v1/products/test-51-media/media?sort={sort}&limit=100")
    assert response.status_code == 200
    ids = [m["id"] for m in response.json["media"]]
    assert len(ids) == len(set(ids)) == 51
    assert response.json["next"] is None


def test_recent_is_newest_first(client):
    media = client.get("/api/v1/products/test-51-media/media?sort=recent&limit=100").json["media"]
    dates = [m["date_published"] for m in media]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("sort", COLLECTION_SORTS)
def test_every_sort_of_the_brand_and_a_category(client, catalogue, sort):
    brand = client.get(f"/api/v1/media?sort={sort}&limit=30")
    assert brand.status_code == 200
    assert len(brand.json["media"]) == 30 and brand.json["next"]
    category = next(iter(catalogue["categories"]))
    response = client.get(f"/api/v1/categories/{category}/media?sort={sort}")
    assert response.status_code == 200
    assert response.json["media"]
    assert_clean(response)


@pytest.mark.parametrize("path", ["/api/v1/media", "/api/v1/categories/any/media"])
def test_media_position_is_for_products_only(client, path):
    response = client.get(path + "?sort=media_position")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_parameter"
    assert response.json["error"]["field"] == "sort"


def test_one_medium(client, app):
    response = client.get("/api/v1/media/3042079992")
    assert response.status_code == 200
    assert set(response.json["media"]) == MEDIA_FIELDS
    assert response.json["media"]["id"] == "3042079992"
    assert_cacheable(response, app)
    assert_clean(response)


def test_a_video_has_its_url(client, catalogue):
    medium = client.get(f"/api/v1/media/{catalogue['video_media'][0]}").json["media"]
    assert medium["type"] == "video"
    assert medium["video_url"]


def test_hostile_captions_are_passed_as_plain_text(client, sandbox, catalogue):
    for media_id in catalogue["hostile_media"]:
        upstream = requests.get(f"{sandbox}/media/{media_id}", params={"auth_token": "sandbox", "version": "v2.2"},
                                timeout=10).json()["data"]["caption"]
        response = client.get(f"/api/v1/media/{media_id}")
        assert response.status_code == 200
        assert response.mimetype == "application/json"
        assert response.json["media"]["caption"] == upstream  # as the uploader wrote it: the widget renders text


def test_shop_the_look_lists_every_tagged_product(client, catalogue):
    medium = client.get(f"/api/v1/media/{catalogue['multi_product_media'][0]}").json["media"]
    assert len(medium["products"]) >= 2


def test_rights_filter_is_passed_through(client, catalogue):
    stream = next(k for k, v in catalogue["streams"].items() if v["id"] == catalogue["rights"]["stream"])
    everything = client.get(f"/api/v1/products/{stream}/media?limit=100").json["media"]
    with_rights = client.get(f"/api/v1/products/{stream}/media?limit=100&rights_given=1").json["media"]
    assert len(with_rights) == catalogue["rights"]["with_rights"]
    assert len(everything) == catalogue["rights"]["with_rights"] + catalogue["rights"]["without_rights"]


@pytest.mark.parametrize("query, field", [
    ("limit=0", "limit"), ("limit=101", "limit"), ("limit=ten", "limit"), ("limit=", "limit"),
    ("sort=best", "sort"), ("rights_given=yes", "rights_given"), ("rights_given=2", "rights_given"),
    ("include_tagged_galleries=true", "include_tagged_galleries"),
    ("filter_media_without_products=-1", "filter_media_without_products"),
])
def test_bad_parameters_name_the_field(client, query, field):
    response = client.get(f"/api/v1/products/acme-anvil-50lb/media?{query}")
    assert response.status_code == 400
    assert response.headers["Cache-Control"] == "no-store"
    error = response.json["error"]
    assert error["code"] == "invalid_parameter" and error["field"] == field and error["message"]


def test_unknown_parameters_are_ignored(client):
    assert client.get("/api/v1/products/acme-anvil-50lb/media?_=1700000000").status_code == 200


@pytest.mark.parametrize("path, code", [
    ("/api/v1/products/no-such-product", "product_not_found"),
    ("/api/v1/products/no-such-product/media", "product_not_found"),
    ("/api/v1/categories/no-such-category/media", "category_not_found"),
    ("/api/v1/media/1", "media_not_found"),
])
def test_unknown_entities_are_404_with_their_code(client, path, code):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json["error"]["code"] == code
    assert response.headers["Cache-Control"] == "public, max-age=60"


def test_an_inactive_product_is_not_found(client, catalogue):
    inactive = next(k for k, v in catalogue["streams"].items() if v["id"] == catalogue["inactive_stream"])
    assert client.get(f"/api/v1/products/{inactive}/media").json["error"]["code"] == "product_not_found"


def test_if_none_match_gets_304(client):
    first = client.get("/api/v1/products/acme-anvil-50lb/media")
    again = client.get("/api/v1/products/acme-anvil-50lb/media", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    other = client.get("/api/v1/products/acme-anvil-50lb/media", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200


def test_etag_follows_the_body(client):
    recent = client.get("/api/v1/products/test-51-media/media?sort=recent")
    rated = client.get("/api/v1/products/test-51-media/media?sort=photorank")
    assert recent.headers["ETag"] != rated.headers["ETag"]


def test_unmatched_api_route_is_a_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


@pytest.mark.parametrize("path", [
    "/api/v1//media", "/api//v1/products/acme-anvil-50lb", "/olapic//media/3042079992", "/healthz//",
])
def test_doubled_and_trailing_slashes_get_json_never_an_html_redirect(client, path):
    response = client.get("/", environ_overrides={"PATH_INFO": path})  # as gunicorn passes it on
    assert response.status_code == 404 and response.mimetype == "application/json", response.get_data()
    error = response.json["data"] if path.startswith("/olapic") else response.json["error"]  # Olapic's envelope
    assert error["code"] == "not_found" and "Location" not in response.headers


def test_leading_slashes_are_the_same_route(client):
    response = client.get("/", environ_overrides={"PATH_INFO": "//api/v1/media"})  # werkzeug strips them
    assert response.status_code == 200 and response.mimetype == "application/json"


def test_a_trailing_slash_is_the_same_route_not_a_redirect(client):
    response = client.get("/olapic")
    assert response.status_code == 200 and response.json["data"] == client.get("/olapic/").json["data"]
    assert client.get("/healthz/").json == {"status": "ok"}


@pytest.mark.parametrize("suffix", ["", "/media"])
def test_a_tag_key_past_its_length_is_a_json_400(client, upstream_log, suffix):
    response = client.get("/api/v1/products/" + "k" * 256 + suffix)
    assert response.status_code == 400
    assert response.json["error"] == {"code": "invalid_parameter", "field": "tag_key",
                                      "message": "tag_key: longer than 255 characters."}
    assert upstream_log() == []
    assert client.get("/api/v1/categories/" + "k" * 256 + "/media").status_code == 400
    upload = client.post("/api/v1/products/" + "k" * 256 + "/uploads", data={})
    assert upload.status_code == 400 and upload.json["error"]["field"] == "tag_key"

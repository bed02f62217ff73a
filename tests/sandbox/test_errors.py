"""Every documented error, word for word as instantiated in docs/sandbox.md."""
import pytest

from .helpers import (
    CUSTOMER_ID,
    OTHER_CUSTOMER_ID,
    WORKED_STREAM_ID,
    WORKED_TAG_KEY,
    assert_envelope,
    assert_error,
    make_image,
    query_of,
)

SORT_LIST = "recent|shuffled|photorank|rated"
STREAM_SORT_LIST = "recent|shuffled|photorank|rated|media_position"
BOOLEAN_FLAGS = [
    "rights_given",
    "wrap_responses",
    "include_tagged_galleries",
    "include_inactive_galleries",
    "filter_media_without_products",
    "disable_embedded_streams",
    "disable_embedded_categories",
]
PAGINATED = [
    f"/streams/{WORKED_STREAM_ID}/media/recent",
    f"/customers/{CUSTOMER_ID}/media/recent",
    f"/customers/{CUSTOMER_ID}/streams",
]


def forbidden():
    return "The authenticated customer is not allowed to access the selected resource."


def not_found(kind, ident):
    return f"No entity of type {kind} was found with id {ident}."


def inactive(kind, ident):
    return f"The requested entity {kind} with the id {ident} is inactive."


# -- 400: parameters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        f"/customers/{CUSTOMER_ID}/streams/search",
        f"/customers/{CUSTOMER_ID}/categories/search",
        "/streams/media/recent",
        "/categories/media/recent",
    ],
)
def test_missing_tag_key(api, path):
    assert_error(api(path), 400, 'The parameter "tag_key" is missing.')


@pytest.mark.parametrize("path", PAGINATED)
@pytest.mark.parametrize("count", ["abc", "1.5", ""])
def test_count_not_an_integer(api, path, count):
    assert_error(
        api(path, count=count),
        400,
        'The parameter "count" received an invalid type "string", expected was "integer".',
    )


@pytest.mark.parametrize("path", PAGINATED)
@pytest.mark.parametrize("count", ["0", "51", "-1"])
def test_count_out_of_range(api, path, count):
    assert_error(
        api(path, count=count),
        400,
        f'The parameter "count" received an invalid value "{count}", expected was "1-50".',
    )


@pytest.mark.parametrize("count", ["1", "50"])
def test_count_bounds_are_accepted(api, count):
    data = api.ok(f"/customers/{CUSTOMER_ID}/media/recent", count=count)
    assert len(data["_embedded"]["media"]) == int(count)


@pytest.mark.parametrize("flag", BOOLEAN_FLAGS)
def test_boolean_flag_not_0_or_1(api, flag):
    assert_error(
        api(f"/streams/{WORKED_STREAM_ID}/media/recent", **{flag: "yes"}),
        400,
        f'The parameter "{flag}" received an invalid value "yes", expected was "0|1".',
    )


@pytest.mark.parametrize("flag", BOOLEAN_FLAGS)
@pytest.mark.parametrize("value", ["0", "1"])
def test_boolean_flag_0_and_1_accepted(api, flag, value):
    resp = api(f"/streams/{WORKED_STREAM_ID}/media/recent", **{flag: value})
    assert_envelope(resp)


@pytest.mark.parametrize(
    "template, sort, expected",
    [
        ("/customers/{customer}/media/{sort}", "best", SORT_LIST),
        ("/customers/{customer}/media/{sort}", "media_position", SORT_LIST),
        ("/categories/{category}/media/{sort}", "best", SORT_LIST),
        ("/categories/{category}/media/{sort}", "media_position", SORT_LIST),
        ("/categories/media/{sort}?tag_key={category_key}", "media_position", SORT_LIST),
        ("/streams/{stream}/media/{sort}", "best", STREAM_SORT_LIST),
        ("/streams/media/{sort}?tag_key={tag_key}", "best", STREAM_SORT_LIST),
    ],
)
def test_unknown_sorting_option(api, catalogue, template, sort, expected):
    category_key, category_id = next(iter(catalogue["categories"].items()))
    url = template.format(
        customer=CUSTOMER_ID, category=category_id, category_key=category_key, stream=WORKED_STREAM_ID,
        tag_key=WORKED_TAG_KEY, sort=sort,
    )
    path, _, query = url.partition("?")
    resp = api(path, **query_of("?" + query)) if query else api(path)
    assert_error(
        resp, 400, f'The parameter "sorting_option" received an invalid value "{sort}", expected was "{expected}".'
    )


@pytest.mark.parametrize(
    "path_and_query, param",
    [
        (f"/customers/{CUSTOMER_ID}/streams/search?tag_key=%FF", "tag_key"),
        (f"/customers/{CUSTOMER_ID}/categories/search?tag_key=%FF", "tag_key"),
        ("/streams/media/recent?tag_key=%FF%FE", "tag_key"),
        (f"/customers/{CUSTOMER_ID}/streams/search?tag_key=abc%C3", "tag_key"),
    ],
)
def test_parameter_not_utf8(api, path_and_query, param):
    resp = api.raw(f"{path_and_query}&auth_token=sandbox&version=v2.2")
    assert_error(resp, 400, f'There were an issue trying to identify the charset of the parameter "{param}".')


def test_valid_utf8_parameter_is_not_a_charset_error(api):
    resp = api.raw(f"/customers/{CUSTOMER_ID}/streams/search?tag_key=caf%C3%A9&auth_token=sandbox&version=v2.2")
    assert_error(resp, 404, not_found("Stream", "café"))


# -- 403 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, params",
    [
        (f"/customers/{OTHER_CUSTOMER_ID}", {}),
        (f"/customers/{OTHER_CUSTOMER_ID}/media/recent", {}),
        (f"/customers/{OTHER_CUSTOMER_ID}/streams", {}),
        (f"/customers/{OTHER_CUSTOMER_ID}/streams/search", {"tag_key": WORKED_TAG_KEY}),
        (f"/customers/{OTHER_CUSTOMER_ID}/categories", {}),
        (f"/customers/{OTHER_CUSTOMER_ID}/widgets", {}),
    ],
)
def test_other_customer_is_403(api, path, params):
    assert_error(api(path, **params), 403, forbidden())


# -- 404 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, params, kind, ident",
    [
        ("/customers/123", {}, "Customer", "123"),
        ("/media/123", {}, "Media", "123"),
        ("/media/123/streams", {}, "Media", "123"),
        ("/media/123/categories", {}, "Media", "123"),
        ("/streams/123", {}, "Stream", "123"),
        ("/streams/123/media/recent", {}, "Stream", "123"),
        ("/streams/123/categories", {}, "Stream", "123"),
        ("/categories/123", {}, "Category", "123"),
        ("/categories/123/media/recent", {}, "Category", "123"),
        ("/categories/123/streams", {}, "Category", "123"),
        ("/users/123", {}, "User", "123"),
        ("/users/123/media/recent", {}, "User", "123"),
        ("/widgets/123", {}, "WidgetInstance", "123"),
        ("/widgets/settings/123", {}, "WidgetStyle", "123"),
        (f"/customers/{CUSTOMER_ID}/streams/search", {"tag_key": "no-such-product"}, "Stream", "no-such-product"),
        (f"/customers/{CUSTOMER_ID}/streams/bytag/no-such-product", {}, "Stream", "no-such-product"),
        ("/streams/bytag/no-such-product", {}, "Stream", "no-such-product"),
        ("/streams/media/recent", {"tag_key": "no-such-product"}, "Stream", "no-such-product"),
        (f"/customers/{CUSTOMER_ID}/categories/search", {"tag_key": "no-such-category"}, "Category", "no-such-category"),
        ("/categories/media/recent", {"tag_key": "no-such-category"}, "Category", "no-such-category"),
        (f"/customers/{CUSTOMER_ID}/instagram_users/no_such_handle", {}, "User", "no_such_handle"),
    ],
)
def test_unknown_entity_is_404(api, path, params, kind, ident):
    assert_error(api(path, **params), 404, not_found(kind, ident))


def test_inactive_stream_is_404_inactive(api, catalogue):
    stream_id = str(catalogue["inactive_stream"])
    assert_error(api(f"/streams/{stream_id}"), 404, inactive("Stream", stream_id))


def test_pending_medium_is_404_inactive(api, catalogue):
    medium = api.upload(stream_id=catalogue["streams"]["test-1-media"]["id"])
    assert medium["status"] == "pending"
    assert_error(api(f"/media/{medium['id']}"), 404, inactive("Media", medium["id"]))


def test_forged_page_key_is_404(api):
    first = api.ok(f"/streams/{WORKED_STREAM_ID}/media/recent", count=2)
    href = first["_links"]["next"]["href"]
    real_key = query_of(href)["page_key"]
    forged = href.replace(real_key, "0" * 32 if real_key != "0" * 32 else "f" * 32)
    assert_error(api.follow(forged), 404, "No pagination found.")


def test_garbage_page_key_is_404(api):
    resp = api(f"/streams/{WORKED_STREAM_ID}/media/recent", page_key="not-a-key", page_number="2")
    assert_error(resp, 404, "No pagination found.")


def test_expired_page_key_is_404(api):
    first = api.ok(f"/streams/{WORKED_STREAM_ID}/media/recent", count=2)
    href = first["_links"]["next"]["href"]
    api.advance(43201)
    assert_error(api.follow(href), 404, "No pagination found.")


def test_page_key_still_valid_before_expiry(api):
    first = api.ok(f"/streams/{WORKED_STREAM_ID}/media/recent", count=2)
    href = first["_links"]["next"]["href"]
    api.advance(43000)
    assert_envelope(api.follow(href))


def test_non_numeric_id_is_404(api):
    assert_error(api("/media/abc"), 404, not_found("Media", "abc"))


# -- uploads ------------------------------------------------------------------------------------


def test_upload_without_file_or_url(api):
    user = api.create_user()
    assert_error(api.post(f"/users/{user['id']}/media", data={"caption": "x"}), 400, 'The parameter "file" is missing.')


def test_stash_without_file(api):
    assert_error(api.post("/stashes", data={}), 400, 'The parameter "file" is missing.')


def test_report_without_email(api):
    assert_error(
        api.post("/media/3042079992/reports", data={"reason": "spam"}), 400, 'The parameter "email" is missing.'
    )


def test_create_user_without_email(api):
    assert_error(api.post("/users", data={"screen_name": "nobody"}), 400, 'The parameter "email" is missing.')


@pytest.mark.parametrize("direct", [True, False], ids=["direct", "stash"])
def test_upload_of_a_non_image(api, direct):
    message = "An error was thrown while uploading the file: 'Invalid media file type.'"
    payload = ("notes.txt", b"this is plainly not an image\n" * 10, "text/plain")
    if direct:
        user = api.create_user()
        resp = api.post(f"/users/{user['id']}/media", data={"caption": "x"}, files={"file": payload})
    else:
        resp = api.post("/stashes", files={"file": payload})
    assert_error(resp, 400, message)


def test_upload_of_a_non_image_named_jpg(api):
    """The type is judged from the bytes, not the file name or the declared type."""
    user = api.create_user()
    resp = api.post(
        f"/users/{user['id']}/media", data={"caption": "x"}, files={"file": ("photo.jpg", b"<html></html>", "image/jpeg")}
    )
    assert_error(resp, 400, "An error was thrown while uploading the file: 'Invalid media file type.'")


def test_latitude_without_longitude(api):
    user = api.create_user()
    resp = api.post(
        f"/users/{user['id']}/media",
        data={"caption": "x", "latitude": "40.5"},
        files={"file": ("p.jpg", make_image(), "image/jpeg")},
    )
    assert_error(resp, 400, 'The parameter "longitude" is missing.')


def test_longitude_without_latitude(api):
    user = api.create_user()
    resp = api.post(
        f"/users/{user['id']}/media",
        data={"caption": "x", "longitude": "-74.25"},
        files={"file": ("p.jpg", make_image(), "image/jpeg")},
    )
    assert_error(resp, 400, 'The parameter "latitude" is missing.')


def test_upload_for_unknown_user(api):
    resp = api.post("/users/123/media", files={"file": ("p.jpg", make_image(), "image/jpeg")})
    assert_error(resp, 404, not_found("User", "123"))


def test_unknown_stash(api):
    user = api.create_user()
    resp = api.post(f"/users/{user['id']}/media", data={"url": "/stashes/nosuchstash"})
    assert_error(resp, 404, not_found("Stash", "nosuchstash"))


# -- wrap_responses -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, params, status, message",
    [
        ("/streams/123", {}, 404, not_found("Stream", "123")),
        (f"/customers/{OTHER_CUSTOMER_ID}", {}, 403, forbidden()),
        (f"/streams/{WORKED_STREAM_ID}/media/recent", {"count": "0"}, 400,
         'The parameter "count" received an invalid value "0", expected was "1-50".'),
        ("/", {"auth_token": "wrong"}, 401, "Invalid Credentials."),
    ],
)
def test_wrap_responses_turns_errors_into_200(api, path, params, status, message):
    resp = api(path, wrap_responses="1", **params)
    assert resp.status_code == 200, resp.text[:300]
    body = resp.json()
    assert body["metadata"]["code"] == status
    assert body["metadata"]["version"] == "v2.2"
    assert body["data"]["message"] == message
    # a wrapped error is a 200, cached like any 200 (the reference's CDN note)
    assert "max-age=" in resp.headers.get("Cache-Control", "")


def test_wrap_responses_0_keeps_the_status(api):
    assert_error(api("/streams/123", wrap_responses="0"), 404, not_found("Stream", "123"))


def test_wrap_responses_leaves_successes_alone(api):
    body = assert_envelope(api(f"/streams/{WORKED_STREAM_ID}", wrap_responses="1"))
    assert body["data"]["id"] == WORKED_STREAM_ID


def test_wrapped_pagination_error(api):
    first = api.ok(f"/streams/{WORKED_STREAM_ID}/media/recent", count=2)
    href = first["_links"]["next"]["href"]
    api.advance(43201)
    resp = api.follow(href + "&wrap_responses=1")
    assert resp.status_code == 200
    body = resp.json()
    assert body["metadata"]["code"] == 404
    assert body["data"]["message"] == "No pagination found."


@pytest.mark.parametrize("path", ["/stashes", "/users", "/media/3042079992/reports"])
def test_posts_need_the_key(api, path):
    resp = api.post(path, data={"email": "a@example.com", "reason": "x"}, auth_token=None)
    assert_error(resp, 401, "Invalid Credentials.")


@pytest.mark.parametrize("path", ["/stashes", "/users", "/media/3042079992/reports"])
def test_reference_shapes_posts_need_the_version(reference_api, path):
    """Refused before anything is read or changed (no file sent: a stash would be created)."""
    resp = reference_api.post(path, data={"email": "a@example.com", "reason": "x"}, version=None)
    assert_error(resp, 400, 'The parameter "version" is missing.')

"""The envelope, authentication, versioning and link shape every Olapic path shares."""
import pytest
import requests

from .helpers import (
    CUSTOMER_ID,
    KEY,
    VERSION,
    WORKED_STREAM_ID,
    WORKED_TAG_KEY,
    assert_envelope,
    assert_error,
    check_hrefs,
    path_of,
    query_of,
    root_customer,
)

# A spread of GET paths: entity, collection, alias.
PATHS = [
    "/",
    f"/customers/{CUSTOMER_ID}",
    f"/streams/{WORKED_STREAM_ID}",
    f"/streams/{WORKED_STREAM_ID}/media/recent",
    f"/customers/{CUSTOMER_ID}/media/recent",
    f"/customers/{CUSTOMER_ID}/streams",
    "/media/3042079992",
    f"/streams/bytag/{WORKED_TAG_KEY}",
]


def test_root_wraps_the_customer_of_the_key(api):
    """The real API's root (F1): the customer in _embedded.customer; /customers/{id} is not wrapped."""
    root = api.ok("/")
    assert root["_fixed"] is True
    assert path_of(root["_links"]["self"]["href"]) == "/"
    data = root_customer(root)
    assert data["id"] == CUSTOMER_ID
    assert data["name"] == "Acme"
    assert data["_fixed"] is True
    assert path_of(data["_links"]["self"]["href"]) == f"/customers/{CUSTOMER_ID}"
    assert path_of(data["_embedded"]["media:photorank"]["_links"]["self"]["href"]) == \
        f"/customers/{CUSTOMER_ID}/media/photorank"
    assert data == api.ok(f"/customers/{CUSTOMER_ID}")


def test_reference_shapes_root_is_the_customer(reference_api):
    data = reference_api.ok("/")
    assert data["id"] == CUSTOMER_ID
    assert path_of(data["_links"]["self"]["href"]) == f"/customers/{CUSTOMER_ID}"
    assert data == reference_api.ok(f"/customers/{CUSTOMER_ID}")


@pytest.mark.parametrize("path", PATHS)
def test_200_envelope(api, path):
    resp = api(path)
    body = assert_envelope(resp)
    assert set(body) == {"metadata", "data"}
    assert resp.headers["Content-Type"].startswith("application/json")
    assert isinstance(body["data"], dict)


@pytest.mark.parametrize("path", PATHS)
def test_missing_key_is_401(api, path):
    assert_error(api(path, auth_token=None), 401, "Invalid Credentials.")


@pytest.mark.parametrize("path", PATHS)
def test_wrong_key_is_401(api, path):
    assert_error(api(path, auth_token="not-the-key"), 401, "Invalid Credentials.")


def test_empty_key_is_401(api):
    assert_error(api("/", auth_token=""), 401, "Invalid Credentials.")


@pytest.mark.parametrize("path", PATHS)
def test_requests_without_version_are_answered(api, path):
    """The real API answers clients that send no version (F5), in the same envelope."""
    without, with_version = api.ok(path, version=None), api.ok(path)
    assert without.keys() == with_version.keys() and without.get("id") == with_version.get("id")
    assert without.get("_embedded", {}).keys() == with_version.get("_embedded", {}).keys()


@pytest.mark.parametrize("version", ["2.2", "v2.1", None])
def test_versions_real_clients_send_are_answered(api, version):
    headers = {"Accept": "application/vnd.olapic.v2.1+json"} if version is None else None
    assert_envelope(api.get("/", headers=headers, version=version))


@pytest.mark.parametrize("version", ["v2.0", "V2.2", "v9"])
def test_unknown_version_is_400(api, version):
    assert_error(
        api("/", version=version),
        400,
        f'The parameter "version" received an invalid value "{version}", expected was "v2.2".',
    )


@pytest.mark.parametrize("path", PATHS)
def test_reference_shapes_missing_version_is_400(reference_api, path):
    assert_error(reference_api(path, version=None), 400, 'The parameter "version" is missing.')


@pytest.mark.parametrize("version", ["v2.1", "2.2"])
def test_reference_shapes_other_version_is_400(reference_api, version):
    assert_error(
        reference_api("/", version=version),
        400,
        f'The parameter "version" received an invalid value "{version}", expected was "v2.2".',
    )


def test_unknown_path_is_404_in_the_envelope(api):
    resp = api("/no/such/endpoint")
    body = assert_envelope(resp, 404)
    assert isinstance(body["data"]["message"], str) and body["data"]["message"]


def test_image_files_need_neither_key_nor_version(api):
    medium = api.ok("/media/3042079992")
    resp = requests.get(medium["images"]["square"], timeout=10)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "image/jpeg"
    assert resp.content[:2] == b"\xff\xd8"


def test_operator_endpoints_need_no_key(sandbox):
    resp = requests.get(sandbox + "/_sandbox/catalogue", timeout=10)
    assert resp.status_code == 200
    assert resp.json()["customer_id"] == CUSTOMER_ID


@pytest.mark.parametrize("path", PATHS)
def test_every_link_is_protocol_relative_with_key_and_version(api, path):
    data = api.ok(path)
    assert check_hrefs(data, api.host) > 0


def test_links_follow_the_request_host(api):
    """Hrefs are built from the request's own Host header."""
    host = "localhost:" + api.host.rsplit(":", 1)[1]
    resp = api.get(f"/streams/{WORKED_STREAM_ID}", headers={"Host": host})
    data = assert_envelope(resp)["data"]
    assert data["_links"]["self"]["href"].startswith(f"//{host}/streams/{WORKED_STREAM_ID}?")
    check_hrefs(data, host)


def test_embedded_link_exactly_as_the_real_api(api):
    """The contract's own example, character for character."""
    data = api.ok(f"/streams/{WORKED_STREAM_ID}")
    assert data["_embedded"]["media:recent"]["_links"]["self"]["href"] == (
        f"//{api.host}/streams/{WORKED_STREAM_ID}/media/recent?auth_token={KEY}&version={VERSION}"
    )


def test_forms_actions_carry_no_query_string(api):
    customer = root_customer(api.ok("/"))
    forms = customer["_forms"]
    assert forms["streams:search"]["action"]["href"] == f"//{api.host}/customers/{CUSTOMER_ID}/streams/search"
    assert forms["categories:search"]["action"]["href"] == f"//{api.host}/customers/{CUSTOMER_ID}/categories/search"
    assert forms["stashes:create"]["action"]["href"] == f"//{api.host}/stashes"
    assert forms["users:create"]["action"]["href"] == f"//{api.host}/users"
    assert forms["streams:search"]["method"] == "GET"
    assert forms["stashes:create"]["method"] == "POST"

    medium = api.ok("/media/3042079992")
    assert medium["_forms"]["report"]["action"]["href"] == f"//{api.host}/media/3042079992/reports"
    assert medium["_forms"]["report"]["method"] == "POST"
    uploader = medium["_embedded"]["uploader"]
    if "_forms" in uploader:
        assert uploader["_forms"]["media:upload"]["action"]["href"] == f"//{api.host}/users/{uploader['id']}/media"


def test_self_link_round_trips(api):
    data = api.ok(f"/streams/{WORKED_STREAM_ID}")
    href = data["_links"]["self"]["href"]
    assert query_of(href) == {"auth_token": KEY, "version": VERSION}
    assert api.ok_href(href) == data

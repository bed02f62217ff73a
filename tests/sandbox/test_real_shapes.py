"""Where the sandbox answers as the real Olapic API does rather than as the reference prints it
(docs/sandbox.md, "Real-API answers"), and the options that change that: --shapes reference and
--shard-links."""
import re

import pytest

from tests.conftest import running_sandbox

from .helpers import (
    CUSTOMER_ID,
    KEY,
    WORKED_STREAM_ID,
    WORKED_TAG_KEY,
    Api,
    assert_envelope,
    fixture_key,
    path_of,
    query_of,
    root_customer,
)

SHARD = re.compile(r"^//z[1-4]photorankapi-a\.akamaihd\.net/")


@pytest.mark.parametrize("path", [
    "/",
    f"/customers/{CUSTOMER_ID}/",
    f"/customers/{CUSTOMER_ID}/media/recent/",
    f"/customers/{CUSTOMER_ID}/streams/bytag/{WORKED_TAG_KEY}/",
    f"/streams/bytag/{WORKED_TAG_KEY}/",
    "/media/3042079992/streams/",
    f"/streams/{WORKED_STREAM_ID}/",
])
def test_trailing_slashes_are_accepted(api, path):
    with_slash, without = api.ok(path), api.ok(path.rstrip("/") or "/")
    assert with_slash.get("id") == without.get("id")
    assert with_slash.get("_embedded", {}).keys() == without.get("_embedded", {}).keys()
    assert api.get(path).history == []  # answered as asked, not redirected


def test_links_with_a_trailing_slash_page_on(api):
    first = api.ok(f"/streams/{WORKED_STREAM_ID}/media/recent/", count=2)
    href = first["_links"]["next"]["href"]
    parts = href.split("?", 1)
    second = api.ok_href(parts[0] + "/?" + parts[1])
    assert second["_embedded"]["media"][0]["id"] not in [m["id"] for m in first["_embedded"]["media"]]


@pytest.mark.parametrize("path, key", [
    (f"/streams/{{empty}}/media/recent", "media"),
    (f"/streams/{{empty}}/categories", "category"),
])
def test_empty_collections_are_null(api, catalogue, path, key):
    data = api.ok(path.format(empty=catalogue["streams"][fixture_key(0)]["id"]))
    assert data["_embedded"][key] is None


def test_lists_that_are_not_paged_have_empty_links(api):
    data = api.ok("/media/3042079992/streams")
    assert data["_links"] == []


def test_numbers_as_strings(api):
    medium = api.ok("/media/3042079992")
    assert medium["likes"] == "0"
    assert medium["original_image_width"] == "513" and medium["original_image_height"] == "432"
    stream = api.ok(f"/streams/{WORKED_STREAM_ID}")
    assert stream["hide_from_related"] == "false"


def test_report_form_submits_with_send(api):
    form = api.ok("/media/3042079992")["_forms"]["report"]
    assert form["method"] == "POST" and path_of(form["action"]["href"]) == "/media/3042079992/reports"
    assert [f["name"] for f in form["fields"]] == ["email", "reason", "send"]
    assert form["fields"][-1]["value"] == "Report"


def test_report_form_post_as_real_clients_send_it(api):
    form = api.ok("/media/3042079992")["_forms"]["report"]
    resp = api.session.post("http:" + form["action"]["href"],
                            params={"auth_token": KEY, "wrap_responses": "1", "version": "v2.2"},
                            data={"email": "shopper@example.com", "reason": "Not my anvil", "send": "Report"},
                            timeout=10)
    assert assert_envelope(resp, 201)


def test_reference_shapes_option(reference_api, catalogue):
    empty = catalogue["streams"][fixture_key(0)]["id"]
    assert reference_api.ok(f"/streams/{empty}/media/recent")["_embedded"]["media"] == []
    assert reference_api.get(f"/streams/{WORKED_STREAM_ID}/").status_code == 404
    medium = reference_api.ok("/media/3042079992")
    assert medium["likes"] == 0
    assert medium["_forms"]["report"]["fields"][-1]["name"] == "submit"
    assert reference_api.ok(f"/streams/{WORKED_STREAM_ID}")["hide_from_related"] is False


@pytest.fixture(scope="module")
def shard_api():
    with running_sandbox() as url:  # the test suite's default: --shard-links
        api = Api(url)
        yield api
        api.session.close()


def _hrefs(node, found):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "href" and isinstance(v, str):
                found.append(v)
            else:
                _hrefs(v, found)
    elif isinstance(node, list):
        for v in node:
            _hrefs(v, found)
    return found


def test_shard_links_option(shard_api):
    root = shard_api.ok("/")
    customer = root_customer(root)
    stream = shard_api.ok(f"/streams/{WORKED_STREAM_ID}")
    page = shard_api.ok(f"/streams/{WORKED_STREAM_ID}/media/recent", count=2)
    hrefs = _hrefs([root, stream, page], [])
    links = [h for h in hrefs if "auth_token=" in h]
    forms = [h for h in hrefs if "auth_token=" not in h]
    assert links and all(SHARD.match(h) for h in links), links[:5]
    assert len({h.split("/")[2] for h in links}) > 1  # spread over several shards
    assert forms and all(h.startswith("//rest.photorank.me/") for h in forms), forms[:5]
    # The same href on a shard host, taken by its path and query, is the sandbox's own answer.
    nxt = page["_links"]["next"]["href"]
    assert query_of(nxt)["page_number"] == "2"
    second = shard_api.ok_href("//" + shard_api.host + "/" + nxt.split("/", 3)[3])
    assert second["_embedded"]["media"]
    # Image files stay on the sandbox's own host: browsers must load them.
    assert page["_embedded"]["media"][0]["images"]["normal"].startswith(f"http://{shard_api.host}/")
    assert customer["id"] == CUSTOMER_ID

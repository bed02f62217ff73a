"""Pagination, sorting, sparse fields, lightboxes and what they hold (doc: "Pagination, Sorting and
filtering", GET /rest/event/<id> key table, "Fetching a lightbox", "Fetching the content of a lightbox")."""
import pytest

from .helpers import assert_error


@pytest.mark.parametrize("asked, effective", [(1, 10), (10, 10), (11, 16), (17, 20), (33, 50), (65, 96),
                                               (100, 100), (101, 200), (201, 250), (251, 250), (999, 250)])
def test_page_size_is_rounded_to_the_next_supported_value(mpx, catalogue, asked, effective):
    """doc: page[size] "between 1 and 999 ... will be always rounded to the next or the max value supported.
    Some supported value can be 10,16,20,25,32,50,64,96,100,200,250"; meta.page.size reports it."""
    lb = catalogue["products"]["test-520-media"]["id"]
    body = mpx.ok(f"/rest/lightbox/{lb}/items", **{"page[size]": asked})
    assert body["meta"]["page"] == {"number": 1, "size": effective}
    assert len(body["data"]) == effective
    assert body["meta"]["total"] == 520


@pytest.mark.parametrize("params", [{"page[size]": 0}, {"page[size]": 1000}, {"page[size]": "ten"},
                                    {"page[number]": 0}, {"page[number]": -1}, {"page[number]": "x"}])
def test_invalid_page_values_are_errors(mpx, params):
    """doc: "Invalid value for other existing keys will generate an error"."""
    error = assert_error(mpx.get("/rest/lightbox/301/items", **params), 400)
    assert error["source"]["parameter"] == next(iter(params))


def test_defaults_links_and_the_page_past_the_end(mpx, catalogue):
    """doc: page[number] default 1, page[size] default 100; links self/first/prev/next/last; an empty page is 200."""
    lb = catalogue["products"]["test-251-media"]["id"]
    first = mpx.ok(f"/rest/lightbox/{lb}/items")
    assert first["meta"] == {"total": 251, "page": {"number": 1, "size": 100}}
    assert set(first["links"]) == {"self", "first", "next", "last"}
    assert "page[number]=3" in first["links"]["last"] and "page[size]=100" in first["links"]["last"]
    second = mpx.ok(f"/rest/lightbox/{lb}/items", **{"page[number]": 2})
    assert set(second["links"]) == {"self", "first", "prev", "next", "last"}
    assert mpx.ok(first["links"]["next"].split(mpx.base, 1)[1])["data"] == second["data"]
    past = mpx.ok(f"/rest/lightbox/{lb}/items", **{"page[number]": 9})
    assert past["data"] == [] and past["meta"]["total"] == 251
    empty = mpx.ok(f"/rest/lightbox/{catalogue['products']['test-0-media']['id']}/items")
    assert empty["data"] == [] and empty["meta"]["total"] == 0 and "next" not in empty["links"]


@pytest.mark.parametrize("size", [16, 96, 250])
def test_walking_a_lightbox_yields_every_item_once(mpx, catalogue, size):
    lb = catalogue["products"]["test-520-media"]["id"]
    items, meta, sizes = mpx.walk(f"/rest/lightbox/{lb}/items", **{"page[size]": size})
    ids = [i["id"] for i in items]
    assert len(ids) == len(set(ids)) == meta["total"] == 520
    assert set(sizes) == {size}


def test_lightbox_items_hold_hidden_items_that_only_section_and_archive_reveal(mpx, catalogue):
    """Brief §2.9: private and trash items, audio and text items sit inside product lightboxes; the default
    fields do not include section, fields[item]=all does."""
    lb = catalogue["products"]["acme-anvil-50lb"]["id"]
    default = mpx.ok(f"/rest/lightbox/{lb}/items")["data"]
    assert all("section" not in i["attributes"] for i in default)
    full = mpx.ok(f"/rest/lightbox/{lb}/items", **{"fields[item]": "all"})["data"]
    hidden = set(catalogue["hidden_media"])
    shown = [i for i in full if i["attributes"]["section"] == "public" and i["attributes"]["archive"] in ("photo", "video")]
    assert len(shown) == catalogue["products"]["acme-anvil-50lb"]["media"]
    assert {str(i["id"]) for i in full} - {str(i["id"]) for i in shown} <= hidden
    assert {i["attributes"]["section"] for i in full} == {"public", "private", "trash"}
    assert {i["attributes"]["archive"] for i in full} == {"photo", "video", "audio", "text"}


def test_ids_are_numbers_and_one_is_fractional(mpx, catalogue):
    """doc: the samples write ids as JSON numbers (2241642) and fractional ones (2241780.3)."""
    lb = catalogue["products"]["acme-anvil-50lb"]["id"]
    body = mpx.ok(f"/rest/lightbox/{lb}/items")
    ids = [i["id"] for i in body["data"]]
    assert all(isinstance(i, (int, float)) for i in ids)
    assert 2241780.3 in ids
    raw = mpx.get(f"/rest/lightbox/{lb}/items").text
    assert '"id": 2241780.3' in raw
    item = mpx.ok("/rest/item/2241780.3")["data"]
    assert item["attributes"]["title"] == "Acme Anvil 50lb - desert"


def test_sparse_fields(mpx):
    """doc: fields[item] "comma separated" attributes; "all" for every attribute."""
    some = mpx.ok("/rest/item/2240005", **{"fields[item]": "title,date"})["data"]["attributes"]
    assert set(some) == {"title", "date"}
    default = mpx.ok("/rest/item/2240005")["data"]["attributes"]
    assert set(default) == {"url_thumb_l", "url_thumb_m", "xsize", "ysize", "id_event", "id", "mime_type",
                            "archive", "license", "title", "caption", "date"}
    every = mpx.ok("/rest/item/2240005", **{"fields[item]": "all"})["data"]["attributes"]
    assert every["url_stream_m"].endswith("/stream_m.mp4") and every["archive"] == "video"
    assert {"section", "file_size", "file_name", "uploaded_date"} <= set(every)


def test_only_valued_attributes_are_written(mpx, catalogue):
    """doc: "a partial list of valued attribute": an item without sizes has no xsize/ysize."""
    (sizeless,) = catalogue["sizeless_media"]
    attrs = mpx.ok(f"/rest/item/{sizeless}", **{"fields[item]": "all"})["data"]["attributes"]
    assert "xsize" not in attrs and "ysize" not in attrs and "caption" not in attrs


def test_sort_date_is_descending_and_a_minus_is_ascending(mpx, catalogue):
    """doc: "By default, the items are sorted in descending order ... to sort in ascending order, a minus (-)
    symbol can be added before the sort value"."""
    lb = catalogue["products"]["test-100-media"]["id"]
    desc = mpx.ok(f"/rest/lightbox/{lb}/items", sort="date")["data"]
    asc = mpx.ok(f"/rest/lightbox/{lb}/items", sort="-date")["data"]
    dates = [i["attributes"]["date"] for i in desc]
    assert dates == sorted(dates, reverse=True)
    assert [i["id"] for i in asc] == [i["id"] for i in desc][::-1]
    assert_error(mpx.get(f"/rest/lightbox/{lb}/items", sort="photorank"), 400)


def test_lightbox_with_relationships_and_included(mpx, catalogue):
    """doc, GET /rest/lightbox/<id>: the lightbox, relationships.items identifiers and the items in included."""
    lb = catalogue["products"]["test-101-media"]["id"]
    body = mpx.ok(f"/rest/lightbox/{lb}", **{"page[size]": 20})
    assert body["data"]["type"] == "lightbox" and body["data"]["attributes"]["description"] == "test-101-media"
    rel = body["data"]["relationships"]["items"]
    assert [r["id"] for r in rel["data"]] == [i["id"] for i in body["included"]]
    assert len(body["included"]) == 20 and body["meta"]["total"] == 107
    assert body["data"]["attributes"]["numberofitemsinlightbox"] == 107
    ids = mpx.ok(f"/rest/lightbox/{lb}/relationships/items", **{"page[size]": 20})["data"]
    assert ids == rel["data"] and set(ids[0]) == {"type", "id"}


def test_lightboxes_are_the_users_own_newest_first(mpx, catalogue):
    """doc: lightboxes "belonging to the logged-in user", "most recently created ... first"; another user's
    lightbox is not reachable."""
    items, meta, _ = mpx.walk("/rest/lightboxes", **{"page[size]": 250})
    descriptions = [lb["attributes"]["description"] for lb in items]
    assert descriptions.count("acme-anvil-50lb") == 1
    assert set(catalogue["products"]) <= set(descriptions)
    assert descriptions.index("test-video-media") < descriptions.index("acme-anvil-50lb")
    assert_error(mpx.get(f"/rest/lightbox/{catalogue['other_user_lightbox']}"), 404)


def test_editing_lightbox_membership(mpx, catalogue):
    """doc: POST, PATCH or DELETE /rest/lightbox/<id>/relationships/items with resource identifiers: 204."""
    lb = catalogue["products"]["test-1-media"]["id"]
    path = f"/rest/lightbox/{lb}/relationships/items"
    before = [i["id"] for i in mpx.ok(path)["data"]]
    ids = {"data": [{"type": "item", "id": "2240001"}, {"type": "item", "id": "2241780.3"}]}
    assert mpx.request("POST", path, json=ids).status_code == 204
    assert [i["id"] for i in mpx.ok(path)["data"]] == before + [2240001, 2241780.3]
    assert mpx.request("DELETE", path, json={"data": [{"type": "item", "id": 2240001}]}).status_code == 204
    assert [i["id"] for i in mpx.ok(path)["data"]] == before + [2241780.3]
    assert mpx.request("PATCH", path, json={"data": []}).status_code == 204
    assert mpx.ok(path)["data"] == []
    assert_error(mpx.request("POST", path, json={"data": [{"type": "item", "id": "1"}]}), 404)
    assert_error(mpx.request("POST", path, json={"data": {"type": "item", "id": "2240001"}}), 400)


def test_events_newest_first_and_their_items(anon):
    """doc: /rest/events "sorted in chronological order, with the most recent events appearing first";
    GET /rest/event/<id>/items lists its items; numberofitemsinevent."""
    events = anon.ok("/rest/events", **{"page[size]": 250})["data"]
    dates = [e["attributes"]["date"] for e in events]
    assert dates == sorted(dates, reverse=True)
    event = next(e for e in events if e["attributes"]["title"] == "Sandbox fixture: 100 media")
    items, meta, _ = anon.walk(f"/rest/event/{event['id']}/items")
    assert len(items) == meta["total"] == event["attributes"]["numberofitemsinevent"] == 100
    assert all(i["attributes"]["id_event"] == event["id"] for i in items)

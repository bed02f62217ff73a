"""The seeded catalogue: size, fixtures and the awkward data a front end must survive."""
import unicodedata

import pytest
import requests

from .helpers import CUSTOMER_ID, FIXTURE_SIZES, OTHER_CUSTOMER_ID, fixture_key


def test_catalogue_map_shape(catalogue):
    assert catalogue["customer_id"] == CUSTOMER_ID
    assert catalogue["other_customer_id"] == OTHER_CUSTOMER_ID
    assert catalogue["api_key_customer"] == CUSTOMER_ID
    for n in FIXTURE_SIZES:
        entry = catalogue["streams"][fixture_key(n)]
        assert set(entry) >= {"id", "status", "media"}
        assert entry["media"] == n
        assert entry["status"] == "OK"
    statuses = {e["status"] for e in catalogue["streams"].values()}
    assert statuses <= {"OK", "TAG", "INACTIVE"}
    assert catalogue["tag_stream"] and catalogue["inactive_stream"]
    assert catalogue["categories"]
    assert set(catalogue["users"]) == {"instagram", "twitter", "none"}
    assert catalogue["users"]["instagram"]["handle"]
    for key in ("video_media", "hostile_media", "multi_product_media"):
        assert catalogue[key], key
    assert set(catalogue["rights"]) >= {"stream", "with_rights", "without_rights"}


def test_catalogue_is_deterministic_across_resets(sandbox, catalogue):
    requests.post(sandbox + "/_sandbox/reset", timeout=10).raise_for_status()
    assert requests.get(sandbox + "/_sandbox/catalogue", timeout=10).json() == catalogue


def test_fixture_streams_answer_by_tag_key(api, catalogue):
    for n in FIXTURE_SIZES:
        s = api.ok(f"/streams/bytag/{fixture_key(n)}")
        assert s["id"] == str(catalogue["streams"][fixture_key(n)]["id"])
        assert s["tag_based_key"] == fixture_key(n)


def test_200_plus_streams(api):
    ids = api.walk_ids(f"/customers/{CUSTOMER_ID}/streams", key="gallery", count=50)
    assert len(set(ids)) == len(ids) >= 200


def test_5000_plus_media(api):
    ids = api.walk_ids(
        f"/customers/{CUSTOMER_ID}/media/recent", count=50, disable_embedded_streams=1, disable_embedded_categories=1
    )
    assert len(set(ids)) == len(ids) >= 5000


def test_tag_stream_is_readable(api, catalogue):
    s = api.ok(f"/streams/{catalogue['tag_stream']}")
    assert s["id"] == str(catalogue["tag_stream"])
    assert api.ok(f"/streams/{catalogue['tag_stream']}/media/recent")["_embedded"]["media"]


def test_multi_product_media(api, catalogue):
    for n, media_id in enumerate(catalogue["multi_product_media"][:5]):
        streams = api.ok(f"/media/{media_id}/streams", include_tagged_galleries=1)["_embedded"]["stream"]
        assert len({s["id"] for s in streams}) >= 2, media_id
        embedded = api.ok(f"/media/{media_id}")["_embedded"]["streams:all"]["_embedded"]["stream"]
        assert len(embedded) >= 2
        # and it is listed in each of its streams
        for s in streams[:2] if n < 2 else []:
            assert media_id in api.walk_ids(f"/streams/{s['id']}/media/recent", count=50,
                                            disable_embedded_streams=1, disable_embedded_categories=1)


@pytest.mark.parametrize("social", ["instagram", "twitter"])
def test_users_with_social_connections(api, catalogue, social):
    user = api.ok(f"/users/{catalogue['users'][social]['id']}")
    conn = user["social_connections"]
    assert isinstance(conn, dict) and list(conn) == [social]
    assert set(conn[social]) >= {"username", "source_id"}
    if social == "instagram":
        assert conn["instagram"]["username"] == catalogue["users"]["instagram"]["handle"]


def test_user_without_social_connection_is_an_empty_list(api, catalogue):
    user = api.ok(f"/users/{catalogue['users']['none']['id']}")
    assert user["social_connections"] == []


def test_uploader_embeds_social_connections(api, catalogue):
    """Every medium's uploader carries social_connections, an object or `[]`."""
    media = api.ok(f"/customers/{CUSTOMER_ID}/media/recent", count=50)["_embedded"]["media"]
    kinds = set()
    for m in media:
        conn = m["_embedded"]["uploader"]["social_connections"]
        assert conn == [] or (isinstance(conn, dict) and conn)
        kinds.add("none" if conn == [] else next(iter(conn)))
    assert "instagram" in kinds


def test_categories_group_streams(api, catalogue):
    sizes = []
    for key, category_id in catalogue["categories"].items():
        data = api.ok(f"/categories/{category_id}/streams", count=50)
        sizes.append(len(data["_embedded"]["gallery"]))
    assert sum(sizes) > 0


def test_widget_instance_and_carousel_style(api, catalogue):
    style = api.ok(f"/widgets/settings/{catalogue['widget_style']}")
    assert style["type"] == "olapic_slidev3"
    instance = api.ok(f"/widgets/{catalogue['widget_instance']}")
    assert instance["_embedded"]["setting"]["id"] == str(catalogue["widget_style"])
    listed = api.ok(f"/customers/{CUSTOMER_ID}/widgets")["_embedded"]["widgetinstance"]
    assert str(catalogue["widget_instance"]) in [w["id"] for w in listed]
    styles = api.ok(f"/customers/{CUSTOMER_ID}/widgets/settings")["_embedded"]["widget"]
    assert "olapic_slidev3" in [s["type"] for s in styles]


def test_hostile_captions_verbatim(api, catalogue):
    captions = [api.ok(f"/media/{i}")["caption"] for i in catalogue["hostile_media"]]
    joined = "\n".join(captions)
    assert "<script>" in joined
    assert any("<img src=x onerror=alert(1)>" in c for c in captions)
    assert "&lt;script" not in joined and "&lt;img" not in joined, "captions must not be HTML-escaped in JSON"
    assert any(len(c) >= 2000 for c in captions), "no 2,000-character caption"
    assert any(unicodedata.category(ch) == "So" and ord(ch) > 0x1F000 for c in captions for ch in c), "no emoji"
    assert any(unicodedata.bidirectional(ch) in ("R", "AL") for c in captions for ch in c), "no right-to-left text"
    assert any("<" in c and ">" in c and "script" not in c and "img" not in c for c in captions), "no plain HTML"


def test_hostile_captions_are_the_same_in_lists(api, catalogue):
    by_id = {i: api.ok(f"/media/{i}")["caption"] for i in catalogue["hostile_media"]}
    stream_ids = {
        s["id"] for i in by_id for s in api.ok(f"/media/{i}/streams", include_tagged_galleries=1)["_embedded"]["stream"]
    }
    listed = {}
    for sid in stream_ids:
        for m in api.walk_items(f"/streams/{sid}/media/recent", count=50):
            listed[m["id"]] = m["caption"]
    for i, caption in by_id.items():
        assert listed[i] == caption


def test_other_customer_exists_but_is_forbidden(api):
    resp = api(f"/customers/{OTHER_CUSTOMER_ID}")
    assert resp.status_code == 403

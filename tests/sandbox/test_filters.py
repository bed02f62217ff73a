"""The documented collection filters."""
import pytest

from .helpers import CUSTOMER_ID, WORKED_STREAM_ID, fixture_key, media_ids


def streams_of(medium):
    return [s["id"] for s in medium["_embedded"]["streams:all"]["_embedded"]["stream"]]


def find_medium_in_stream(api, stream_id, max_pages=100, **params):
    """Walk customer media (page by page, stopping early) to a medium embedded with `stream_id`."""
    data = api.ok(f"/customers/{CUSTOMER_ID}/media/recent", count=50, disable_embedded_categories=1, **params)
    for _ in range(max_pages):
        for m in data["_embedded"]["media"]:
            if str(stream_id) in streams_of(m):
                return m
        if data["_links"]["next"]["href"] is None:
            return None
        data = api.ok_href(data["_links"]["next"]["href"])
    return None


def test_rights_given(api, catalogue):
    rights = catalogue["rights"]
    sid = rights["stream"]
    everything = api.walk_ids(f"/streams/{sid}/media/recent", count=50)
    with_rights = api.walk_ids(f"/streams/{sid}/media/recent", count=50, rights_given=1)
    explicit_zero = api.walk_ids(f"/streams/{sid}/media/recent", count=50, rights_given=0)
    assert rights["with_rights"] > 0 and rights["without_rights"] > 0
    assert len(everything) == rights["with_rights"] + rights["without_rights"]
    assert len(with_rights) == rights["with_rights"]
    assert set(with_rights) < set(everything)
    assert explicit_zero == everything
    # the subset keeps the order of the full list
    assert [i for i in everything if i in set(with_rights)] == with_rights


def test_rights_given_on_customer_media(api):
    everything = api.ok(f"/customers/{CUSTOMER_ID}/media/recent", count=50)["_embedded"]["media"]
    with_rights = api.ok(f"/customers/{CUSTOMER_ID}/media/recent", count=50, rights_given=1)["_embedded"]["media"]
    assert len(with_rights) == 50
    assert [m["id"] for m in with_rights] != [m["id"] for m in everything]


@pytest.mark.parametrize("n", [20, 51])
def test_fixture_counts_hold_under_rights_given(api, catalogue, n):
    """Fixture streams' media all have rights, so their counts hold under the filter."""
    sid = catalogue["streams"][fixture_key(n)]["id"]
    assert len(api.walk_ids(f"/streams/{sid}/media/recent", count=50, rights_given=1)) == n


def test_include_tagged_galleries(api, catalogue):
    tag = str(catalogue["tag_stream"])
    default = api.ok(f"/streams/{tag}/media/recent", count=50)["_embedded"]["media"]
    assert default, "the TAG stream has no media"
    assert all(tag in streams_of(m) for m in default), "TAG streams are embedded by default (include_tagged_galleries=1)"
    without = api.ok(f"/streams/{tag}/media/recent", count=50, include_tagged_galleries=0)["_embedded"]["media"]
    assert [m["id"] for m in without] == [m["id"] for m in default]
    assert all(tag not in streams_of(m) for m in without)


def test_media_streams_exclude_tag_streams_by_default(api, catalogue):
    tag = str(catalogue["tag_stream"])
    medium = api.ok(f"/streams/{tag}/media/recent")["_embedded"]["media"][0]
    default = [s["id"] for s in api.ok(f"/media/{medium['id']}/streams")["_embedded"]["stream"]]
    included = [s["id"] for s in api.ok(f"/media/{medium['id']}/streams", include_tagged_galleries=1)["_embedded"]["stream"]]
    assert tag not in default
    assert tag in included
    assert set(default) < set(included)


def test_include_inactive_galleries(api, catalogue):
    inactive = str(catalogue["inactive_stream"])
    medium = find_medium_in_stream(api, inactive, include_inactive_galleries=1)
    assert medium is not None, "no medium embeds the INACTIVE stream even with include_inactive_galleries=1"
    # by default the same medium does not embed it
    again = api.ok(f"/media/{medium['id']}")
    assert inactive not in streams_of(again)
    default = [s["id"] for s in api.ok(f"/media/{medium['id']}/streams")["_embedded"]["stream"]]
    included = [
        s["id"] for s in api.ok(f"/media/{medium['id']}/streams", include_inactive_galleries=1)["_embedded"]["stream"]
    ]
    assert inactive not in default
    assert inactive in included


def test_no_inactive_stream_embedded_by_default(api, catalogue):
    inactive = str(catalogue["inactive_stream"])
    assert find_medium_in_stream(api, inactive, max_pages=20) is None


def test_filter_media_without_products_property(api, catalogue):
    """With the filter, every medium is tagged to at least one stream that is neither TAG nor INACTIVE."""
    not_ok = {str(catalogue["tag_stream"]), str(catalogue["inactive_stream"])}
    tag = str(catalogue["tag_stream"])
    media = api.walk_items(
        f"/streams/{tag}/media/recent", count=50, filter_media_without_products=1, include_inactive_galleries=1
    )
    for m in media:
        assert set(streams_of(m)) - not_ok, f"medium {m['id']} is tagged to no product"


def test_filter_media_without_products_drops_a_tag_only_medium(api, catalogue):
    tag = str(catalogue["tag_stream"])
    medium = api.upload(stream_id=tag, caption="only in the hashtag gallery")
    api.approve(medium["id"])
    plain = api.walk_ids(f"/streams/{tag}/media/recent", count=50)
    filtered = api.walk_ids(f"/streams/{tag}/media/recent", count=50, filter_media_without_products=1)
    assert medium["id"] in plain
    assert medium["id"] not in filtered
    assert set(filtered) == set(plain) - {medium["id"]}
    customer_first = media_ids(api.ok(f"/customers/{CUSTOMER_ID}/media/recent", count=5))
    customer_filtered = media_ids(api.ok(f"/customers/{CUSTOMER_ID}/media/recent", count=5, filter_media_without_products=1))
    assert customer_first[0] == medium["id"]
    assert medium["id"] not in customer_filtered


@pytest.mark.parametrize(
    "flag, removed",
    [("disable_embedded_streams", "streams:all"), ("disable_embedded_categories", "categories:all")],
)
@pytest.mark.parametrize(
    "path", [f"/streams/{WORKED_STREAM_ID}/media/recent", f"/customers/{CUSTOMER_ID}/media/recent"]
)
def test_disable_embedded(api, flag, removed, path):
    default = api.ok(path)["_embedded"]["media"]
    assert all(removed in m["_embedded"] for m in default)
    disabled = api.ok(path, **{flag: 1})["_embedded"]["media"]
    assert [m["id"] for m in disabled] == [m["id"] for m in default]
    for m in disabled:
        assert removed not in m["_embedded"]
        assert "uploader" in m["_embedded"]
    other = "categories:all" if removed == "streams:all" else "streams:all"
    assert all(other in m["_embedded"] for m in disabled)


def test_disable_embedded_0_keeps_them(api):
    data = api.ok(f"/streams/{WORKED_STREAM_ID}/media/recent", disable_embedded_streams=0, disable_embedded_categories=0)
    for m in data["_embedded"]["media"]:
        assert {"streams:all", "categories:all"} <= set(m["_embedded"])


@pytest.mark.parametrize("count", [1, 7, 20, 50])
def test_count_limits_the_page(api, catalogue, count):
    sid = catalogue["streams"][fixture_key(520)]["id"]
    data = api.ok(f"/streams/{sid}/media/recent", count=count)
    assert len(data["_embedded"]["media"]) == count


def test_default_count_is_20(api, catalogue):
    sid = catalogue["streams"][fixture_key(520)]["id"]
    assert len(api.ok(f"/streams/{sid}/media/recent")["_embedded"]["media"]) == 20
    assert len(api.ok(f"/customers/{CUSTOMER_ID}/streams")["_embedded"]["gallery"]) == 20

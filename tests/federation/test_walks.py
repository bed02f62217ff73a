"""Federated listings walked through /api/v1 over every member's sandbox: nothing missed, nothing
twice, in the order each mix promises."""
import pytest

from gallery.media.federation import _date
from tests.federation.conftest import ANVIL, MEMBERS, NAMES, SHARED, walk

PATH = f"/api/v1/products/{SHARED}/media"


def alone(client, path, provider, **query):
    """The provider's own walk of the listing: the reference a federated walk must hold."""
    media, _ = walk(client, path, providers=provider, **query)
    return [m["id"] for m in media]


@pytest.mark.parametrize("mix,sort", [("interleave", "recent"), ("sequence", "recent"),
                                      ("olapic:2,momapix:1", "media_position")])
def test_a_full_walk_yields_every_medium_of_every_provider_once(client, mix, sort):
    media, pages = walk(client, PATH, mix=mix, sort=sort, limit=100)
    ids = [m["id"] for m in media]
    assert len(ids) == len(set(ids))
    assert all(len(page["media"]) == 100 for page in pages[:-1]) and all(p["partial"] == [] for p in pages)
    for member in MEMBERS:  # each provider's media all there, in its own order
        own = [m["id"] for m in media if m["provider"] == member.provider]
        assert own == alone(client, PATH, member.provider, sort=sort, limit=100)
        assert len(own) == 520
    providers = [m["provider"] for m in media]
    if mix == "sequence":
        assert providers == [name for name in NAMES for _ in range(520)]
    elif sort == "recent":  # merged by date, newest first, across pages
        dates = [_date(m) for m in media]
        assert dates == sorted(dates, reverse=True)
        assert len(set(providers[:100])) == len(NAMES)  # truly mixed
    else:
        assert providers[:9] == ["olapic", "momapix", "olapic"] * 3  # 2:1, spread out


def test_interleave_takes_each_provider_in_turn_until_one_runs_out(client):
    media, pages = walk(client, f"/api/v1/products/{ANVIL}/media", sort="media_position", mix="interleave", limit=4)
    own = {name: alone(client, f"/api/v1/products/{ANVIL}/media", name, sort="media_position", limit=4)
           for name in NAMES}
    turns = [m["provider"] for m in media]
    shortest = min(len(ids) for ids in own.values())
    assert turns[:shortest * len(NAMES)] == NAMES * shortest
    assert [m["id"] for m in media] == [i for turn in zip(*own.values()) for i in turn] + \
        [i for ids in own.values() for i in ids[shortest:]]
    assert all(len(p["media"]) == 4 for p in pages[:-1])


def test_the_mix_setting_is_the_default_and_a_request_overrides_it(make_federated):
    client = make_federated(GALLERY_MIX="momapix:3").test_client()
    path = f"{PATH}?sort=media_position&limit=8"
    weighted = [m["provider"] for m in client.get(path).json["media"]]
    assert weighted.count("momapix") == 6 and weighted.count("olapic") == 2
    assert [m["provider"] for m in client.get(path + "&mix=sequence").json["media"]] == ["olapic"] * 8


def test_openapi_describes_the_mix_the_kinds_and_partial_pages(client):
    spec = client.get("/api/v1/openapi.json").json
    media = spec["components"]["schemas"]["Media"]["properties"]
    assert media["kind"]["enum"] == ["ugc", "brand"] and "credit" in media
    assert "partial" in spec["components"]["schemas"]["MediaPage"]["required"]
    parameters = {p["name"]: p for p in spec["paths"]["/api/v1/products/{tag_key}/media"]["get"]["parameters"]}
    assert "mix" in parameters and parameters["providers"]["schema"]["enum"] == NAMES
    assert parameters["sort"]["x-providers"]["momapix"] == ["recent", "media_position"]


@pytest.mark.parametrize("mix", ["bogus", "olapic:0", "olapic:x", "nosuch:2", "olapic:1,olapic:2"])
def test_a_bad_mix_is_a_400_naming_it(client, mix):
    answer = client.get(PATH, query_string={"mix": mix})
    assert answer.status_code == 400 and answer.json["error"]["field"] == "mix"


def test_providers_select_and_order_the_members(client):
    media = client.get(f"/api/v1/products/{ANVIL}/media?providers=momapix,olapic&mix=sequence&limit=100").json["media"]
    providers = [m["provider"] for m in media]
    assert providers == sorted(providers, key=["momapix", "olapic"].index) and set(providers) == {"momapix", "olapic"}
    only = client.get(f"/api/v1/products/{ANVIL}/media?providers=momapix").json["media"]
    assert {m["provider"] for m in only} == {"momapix"}


def test_a_sort_some_providers_lack_applies_to_the_others_default(client):
    media = client.get(f"/api/v1/products/{ANVIL}/media?sort=photorank&limit=100").json["media"]
    assert {m["provider"] for m in media} == set(NAMES)
    momapix = [m["id"] for m in media if m["provider"] == "momapix"]
    assert momapix == alone(client, f"/api/v1/products/{ANVIL}/media", "momapix", sort="recent", limit=100)
    alone_refused = client.get(f"/api/v1/products/{ANVIL}/media?sort=photorank&providers=momapix")
    assert alone_refused.status_code == 400 and alone_refused.json["error"]["field"] == "sort"


def test_a_listing_only_some_providers_have_draws_from_those(client):
    brand = client.get("/api/v1/media?limit=5")  # MomaPIX has no brand listing
    assert brand.status_code == 200 and {m["provider"] for m in brand.json["media"]} == {"olapic"}
    rights = client.get(f"/api/v1/products/{ANVIL}/media?rights_given=1")  # MomaPIX has no such filter
    assert rights.status_code == 200 and {m["provider"] for m in rights.json["media"]} == {"olapic"}
    refused = client.get("/api/v1/media?providers=momapix")
    assert refused.status_code == 400 and refused.json["error"]["field"] == "providers"


def test_a_product_only_one_provider_knows(client):
    media, _ = walk(client, "/api/v1/products/test-100-media/media", limit=30)  # MomaPIX's only
    assert len(media) == 100 and {m["provider"] for m in media} == {"momapix"}
    assert client.get("/api/v1/products/test-100-media").json["product"]["tag_key"] == "test-100-media"
    for path in ("/api/v1/products/no-such-product", "/api/v1/products/no-such-product/media"):
        answer = client.get(path)
        assert answer.status_code == 404 and answer.json["error"]["code"] == "product_not_found"


def test_the_product_summary_merges_in_provider_order(client):
    merged = client.get(f"/api/v1/products/{ANVIL}").json["product"]
    olapic = client.get(f"/api/v1/products/{ANVIL}?providers=olapic").json["product"]
    momapix = client.get(f"/api/v1/products/{ANVIL}?providers=momapix").json["product"]
    assert merged == {k: olapic[k] if olapic[k] is not None else momapix[k] for k in olapic}
    assert olapic["url"] and momapix["url"] is None


def test_each_medium_says_what_it_is(client, make_federated):
    media = client.get(f"/api/v1/products/{ANVIL}/media?limit=100").json["media"]
    kinds = {m["provider"]: (m["kind"], m["credit"]) for m in media}
    assert kinds == {m.provider: (m.kind, "Acme" if m.kind == "brand" else None) for m in MEMBERS}
    one = client.get(f"/api/v1/media/{next(m['id'] for m in media if m['provider'] == 'momapix')}").json["media"]
    assert (one["kind"], one["credit"]) == ("brand", "Acme")
    ugc = make_federated(GALLERY_KINDS={"momapix": "ugc"}).test_client()
    relabelled = ugc.get(f"/api/v1/products/{ANVIL}/media?providers=momapix").json["media"]
    assert {(m["kind"], m["credit"]) for m in relabelled} == {("ugc", None)}

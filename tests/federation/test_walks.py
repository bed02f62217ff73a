"""Federated listings walked through /api/v1 over every member's sandbox: nothing missed, nothing
twice, in the order each mix promises."""
import re
from collections import Counter

import pytest

from gallery.media.federation import _date, member_sort
from tests.federation.conftest import ANVIL, MEMBERS, NAMES, SHARED, walk

PATH = f"/api/v1/products/{SHARED}/media"
ANVIL_PATH = f"/api/v1/products/{ANVIL}/media"


def capabilities(app, name):
    return app.extensions["registry"].get(name).capabilities


def alone(client, path, provider, sort="recent", scope="product", **query):
    """The provider's own walk of the listing, by the sort it applies in a mix (its default when it
    lacks `sort`): the reference a federated walk must hold."""
    media, _ = walk(client, path, providers=provider,
                    sort=member_sort(capabilities(client.application, provider), scope, sort), **query)
    return [m["id"] for m in media]


def round_robin(lists):
    """The lists taken one item each in turn, skipping those that ran out."""
    lists, out = [list(items) for items in lists], []
    while any(lists):
        out += [items.pop(0) for items in lists if items]
    return out


@pytest.mark.parametrize("mix,sort", [("interleave", "recent"), ("sequence", "recent"),
                                      ("olapic:2,momapix:1", "media_position")])
def test_a_full_walk_yields_every_medium_of_every_provider_once(client, mix, sort):
    media, pages = walk(client, PATH, mix=mix, sort=sort, limit=100)
    ids = [m["id"] for m in media]
    assert len(ids) == len(set(ids))
    assert all(len(page["media"]) == 100 for page in pages[:-1]) and all(p["partial"] == [] for p in pages)
    own = {name: alone(client, PATH, name, sort, limit=100) for name in NAMES}
    for name in NAMES:  # each provider's media all there, in its own order
        assert own[name] and [m["id"] for m in media if m["provider"] == name] == own[name]
    providers = [m["provider"] for m in media]
    if mix == "sequence":
        assert providers == [name for name in NAMES for _ in own[name]]
    elif sort == "recent":  # merged by date, newest first, across pages
        dates = [_date(m) for m in media]
        assert dates == sorted(dates, reverse=True)
        switches = sum(a != b for a, b in zip(providers, providers[1:]))
        assert switches > len(NAMES)  # truly mixed, not one provider after another (dates decide where)
    else:  # 2:1 (the others 1), spread out: in every cycle each provider its weight
        weights = {name: {"olapic": 2, "momapix": 1}.get(name, 1) for name in NAMES}
        cycle = sum(weights.values())
        for start in range(0, 3 * cycle, cycle):
            assert Counter(providers[start:start + cycle]) == weights
        assert providers[0] == "olapic" and providers[:2] != ["olapic", "olapic"]


def test_interleave_takes_each_provider_in_turn_until_one_runs_out(client):
    media, pages = walk(client, ANVIL_PATH, sort="media_position", mix="interleave", limit=4)
    own = [alone(client, ANVIL_PATH, name, "media_position", limit=4) for name in NAMES]
    assert [m["id"] for m in media] == round_robin(own)
    assert all(len(p["media"]) == 4 for p in pages[:-1])


def test_the_mix_setting_is_the_default_and_a_request_overrides_it(make_federated):
    client = make_federated(GALLERY_MIX="momapix:3").test_client()
    cycle = 3 + len(NAMES) - 1
    path = f"{PATH}?sort=media_position&limit={2 * cycle}"
    weighted = Counter(m["provider"] for m in client.get(path).json["media"])
    assert weighted == {name: 6 if name == "momapix" else 2 for name in NAMES}
    assert [m["provider"] for m in client.get(path + "&mix=sequence").json["media"]] == ["olapic"] * 2 * cycle


@pytest.mark.parametrize("mix", ["bogus", "olapic:0", "olapic:x", "nosuch:2", "olapic:1,olapic:2"])
def test_a_bad_mix_is_a_400_naming_it(client, mix):
    answer = client.get(PATH, query_string={"mix": mix})
    assert answer.status_code == 400 and answer.json["error"]["field"] == "mix"


def test_providers_select_and_order_the_members(client):
    media = client.get(f"{ANVIL_PATH}?providers=momapix,olapic&mix=sequence&limit=100").json["media"]
    providers = [m["provider"] for m in media]
    assert providers == sorted(providers, key=["momapix", "olapic"].index) and set(providers) == {"momapix", "olapic"}
    only = client.get(f"{ANVIL_PATH}?providers=momapix").json["media"]
    assert {m["provider"] for m in only} == {"momapix"}


def test_a_sort_some_providers_lack_applies_to_the_others_default(client):
    media = client.get(f"{ANVIL_PATH}?sort=photorank&limit=100").json["media"]
    assert {m["provider"] for m in media} == set(NAMES)
    for name in NAMES:  # photorank where it exists, the provider's default elsewhere
        assert [m["id"] for m in media if m["provider"] == name] == alone(client, ANVIL_PATH, name, "photorank",
                                                                          limit=100)
    alone_refused = client.get(f"{ANVIL_PATH}?sort=photorank&providers=momapix")
    assert alone_refused.status_code == 400 and alone_refused.json["error"]["field"] == "sort"


def test_a_listing_only_some_providers_have_draws_from_those(client):
    app = client.application
    brand = client.get("/api/v1/media?limit=100")  # MomaPIX has no brand listing
    assert brand.status_code == 200
    assert {m["provider"] for m in brand.json["media"]} == {n for n in NAMES if "brand" in capabilities(app, n).sorts}
    rights = client.get(f"{ANVIL_PATH}?rights_given=1&limit=100")  # MomaPIX has no such filter
    assert rights.status_code == 200 and "momapix" not in {m["provider"] for m in rights.json["media"]}
    assert {m["provider"] for m in rights.json["media"]} <= {n for n in NAMES
                                                             if "rights_given" in capabilities(app, n).filters}
    category = client.get("/api/v1/categories/anvils/media?limit=100")  # Olapic's category, no MomaPIX lightbox
    assert category.status_code == 200 and "olapic" in {m["provider"] for m in category.json["media"]}
    assert "momapix" not in {m["provider"] for m in category.json["media"]}
    refused = client.get("/api/v1/media?providers=momapix")
    assert refused.status_code == 400 and refused.json["error"]["field"] == "providers"


def test_a_product_only_one_provider_knows(client):
    media, _ = walk(client, "/api/v1/products/test-250-media/media", limit=100)  # MomaPIX's only
    assert len(media) == 250 and {m["provider"] for m in media} == {"momapix"}
    assert client.get("/api/v1/products/test-250-media").json["product"]["tag_key"] == "test-250-media"
    for path in ("/api/v1/products/no-such-product", "/api/v1/products/no-such-product/media"):
        answer = client.get(path)
        assert answer.status_code == 404 and answer.json["error"]["code"] == "product_not_found"


def test_the_product_summary_merges_in_provider_order(client):
    merged = client.get(f"/api/v1/products/{ANVIL}").json["product"]
    each = [client.get(f"/api/v1/products/{ANVIL}?providers={name}").json["product"] for name in NAMES]
    assert merged == {k: next((p[k] for p in each if p[k] is not None), None) for k in merged}
    assert merged["url"] and each[NAMES.index("momapix")]["url"] is None  # Olapic's url, MomaPIX has none


def test_each_medium_says_what_it_is(client, make_federated):
    media = client.get(f"{ANVIL_PATH}?limit=100").json["media"]
    kinds = {m["provider"]: (m["kind"], m["credit"]) for m in media}
    assert kinds == {m.provider: (m.kind, "Acme" if m.kind == "brand" else None) for m in MEMBERS}
    one = client.get(f"/api/v1/media/{next(m['id'] for m in media if m['provider'] == 'momapix')}").json["media"]
    assert (one["kind"], one["credit"]) == ("brand", "Acme")
    ugc = make_federated(GALLERY_KINDS={"momapix": "ugc"}).test_client()
    relabelled = ugc.get(f"{ANVIL_PATH}?providers=momapix").json["media"]
    assert {(m["kind"], m["credit"]) for m in relabelled} == {("ugc", None)}


def test_openapi_describes_the_mix_the_kinds_and_partial_pages(client):
    spec = client.get("/api/v1/openapi.json").json
    media = spec["components"]["schemas"]["Media"]["properties"]
    assert media["kind"]["enum"] == ["ugc", "brand"] and "credit" in media
    assert "partial" in spec["components"]["schemas"]["MediaPage"]["required"]
    parameters = {p["name"]: p for p in spec["paths"]["/api/v1/products/{tag_key}/media"]["get"]["parameters"]}
    assert "mix" in parameters and parameters["providers"]["x-providers"] == NAMES
    assert re.fullmatch(parameters["providers"]["schema"]["pattern"], ",".join(reversed(NAMES)))
    assert parameters["sort"]["x-providers"]["momapix"] == ["recent", "media_position"]

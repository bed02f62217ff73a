"""Providers: the registry, `providers=`, provider-bound cursors and ids, and the generic upstream
machinery every source uses (Retry-After, invalidation of one product, shared tokens)."""
import dataclasses
import threading

import pytest

from gallery.media.registry import Registry, wrap
from gallery.sources import olapic
from gallery.upstream.tokens import TokenStore
from tests.support import sandboxes

ANVIL = "acme-anvil-50lb"


@pytest.fixture
def two_providers(app):
    """The app with a second provider, `echo`: Olapic again under another name and id prefix."""
    redis_client = app.extensions["redis"]
    first = olapic.build(app.config, redis_client)
    echo = dataclasses.replace(olapic.build(app.config, redis_client), name="echo", blueprints=(),
                               capabilities=dataclasses.replace(olapic.CAPABILITIES, id_prefix="e-", uploads=False))
    app.extensions["registry"] = Registry([wrap(first, redis_client), wrap(echo, redis_client)], "olapic")
    return app.test_client()


def test_a_listing_uses_the_provider_it_names(two_providers):
    default = two_providers.get(f"/api/v1/products/{ANVIL}/media?providers=olapic").json["media"]
    echoed = two_providers.get(f"/api/v1/products/{ANVIL}/media?providers=echo").json["media"]
    assert {m["provider"] for m in default} == {"olapic"} and {m["provider"] for m in echoed} == {"echo"}
    mixed = two_providers.get(f"/api/v1/products/{ANVIL}/media").json["media"]  # no providers=: all of them
    assert {m["id"] for m in mixed} == {m["id"] for m in default + echoed}
    assert [m["id"] for m in echoed] == ["e-" + m["id"] for m in default]
    one = two_providers.get(f"/api/v1/media/{echoed[0]['id']}")
    assert one.status_code == 200 and one.json["media"]["provider"] == "echo"


def test_a_cursor_is_bound_to_its_provider(two_providers):
    first = two_providers.get("/api/v1/products/test-50-media/media?limit=10&providers=echo").json
    assert first["next"]
    other = two_providers.get(f"/api/v1/products/test-50-media/media?limit=10&cursor={first['next']}")
    assert other.status_code == 400 and other.json["error"]["code"] == "invalid_cursor"
    same = two_providers.get(f"/api/v1/products/test-50-media/media?limit=10&providers=echo&cursor={first['next']}")
    assert same.status_code == 200


@pytest.mark.parametrize("providers", ["nosuch", "olapic,nosuch", ","])
def test_unknown_providers_are_a_400_naming_the_field(two_providers, providers):
    answer = two_providers.get(f"/api/v1/products/{ANVIL}/media", query_string={"providers": providers})
    assert answer.status_code == 400
    assert answer.json["error"]["code"] == "invalid_parameter" and answer.json["error"]["field"] == "providers"


def test_an_unsupported_sort_or_filter_is_a_400_naming_it(client):
    answer = client.get("/api/v1/media?sort=media_position")
    assert answer.status_code == 400 and answer.json["error"]["field"] == "sort"
    assert "olapic" in answer.json["error"]["message"]


def test_unknown_id_prefixes_are_not_found(two_providers):
    assert two_providers.get("/api/v1/media/zz-123").status_code == 404


def test_a_429_with_retry_after_is_answered_like_a_5xx(client, sandbox):
    sandboxes.fault(sandbox, path_prefix="/", status=429, headers={"Retry-After": "7"})
    answer = client.get(f"/api/v1/products/{ANVIL}/media")
    assert answer.status_code == 503 and answer.json["error"]["code"] == "upstream_unavailable"
    assert answer.headers["Retry-After"] == "7"


def test_invalidating_a_product_forgets_its_cached_gallery(app, sandbox):
    client = app.test_client()
    client.get(f"/api/v1/products/{ANVIL}/media")
    asked = len(sandboxes.requests_log(sandbox))
    client.get(f"/api/v1/products/{ANVIL}/media?x=1")  # another URL: only process and Redis caches
    assert len(sandboxes.requests_log(sandbox)) == asked
    app.extensions["registry"].default.catalogue.invalidate(ANVIL)
    client.get(f"/api/v1/products/{ANVIL}/media?x=1")  # not even the rendered answer is kept
    assert len(sandboxes.requests_log(sandbox)) == asked + 2  # the product search and its media, again


def test_a_token_is_fetched_once_for_every_thread(redis_client):
    logins = []

    def login():
        logins.append(1)
        return f"token-{len(logins)}", 3600

    tokens = TokenStore(redis_client, "test", login)
    got = []
    threads = [threading.Thread(target=lambda: got.append(tokens.get())) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == ["token-1"] * 10 and len(logins) == 1
    assert TokenStore(redis_client, "test", login).get() == "token-1"  # shared through Redis
    tokens.invalidate("token-1")
    assert tokens.get() == "token-2" and len(logins) == 2

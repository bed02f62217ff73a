"""The API seat's OAuth2 tokens: one password grant for a whole deployment under single flight,
refresh grants before and after expiry, a failed refresh falling back to the password grant, a 401
refreshing once and retrying once."""
import pytest

from gallery.media.models import UpstreamError
from gallery.sources.acquia_dam import build
from tests.support.sources import cold_requests, walk

from .conftest import expire_tokens, grants, log, source_config

TOKEN_KEY = "gallery:token:acquia_dam"


def test_thirty_cold_requests_across_two_workers_make_one_token_grant(acquia, ad_catalogue, rdb, redis_url):
    config = source_config(acquia)
    outcomes = cold_requests(build, config, redis_url)  # 2 workers x 15 threads
    assert outcomes == [ad_catalogue["products"]["acme-anvil-50lb"]["media"]] * 30
    assert grants(acquia) == {"password": 1, "refresh_token": 0, "authorization_code": 0}
    assert len(log(acquia, "/oauth2/token")) == 1


def test_a_token_expiring_mid_walk_is_refreshed_once(acquia, make_source):
    catalogue = make_source().catalogue
    pages = []

    def expire_after_first_page():
        if not pages:
            expire_tokens(acquia)  # every token issued so far answers 401 from now on
        pages.append(1)

    ids = walk(catalogue, "test-520-media", limit=100, between=expire_after_first_page)
    assert len(ids) == len(set(ids)) == 520
    assert grants(acquia) == {"password": 1, "refresh_token": 1, "authorization_code": 0}
    refused = [e for e in log(acquia, "/folders") if e["status"] == 401]
    assert len(refused) == 1  # refreshed once, retried once


def test_a_refused_refresh_falls_back_to_the_password_grant(acquia, make_source):
    catalogue = make_source().catalogue
    catalogue.product("test-1-media")
    expire_tokens(acquia, refresh=True)  # the refresh token is revoked too
    assert len(walk(catalogue, "test-101-media")) == 101
    assert grants(acquia) == {"password": 2, "refresh_token": 0, "authorization_code": 0}
    statuses = [e["status"] for e in log(acquia, "/oauth2/token")]
    assert statuses == [200, 400, 200]  # password, the refused refresh, password again


def test_tokens_are_renewed_before_they_expire(acquia, make_source, rdb):
    """The shared entry lapses a quarter of the token's life (at most 5 min) before expires_in (what
    Redis does when its TTL runs out): the next call renews by the refresh grant, and no call ever
    meets an expired token."""
    catalogue = make_source().catalogue
    catalogue.product("test-1-media")
    ttl = rdb.ttl(TOKEN_KEY)
    assert 3600 - 300 - 60 <= ttl <= 3600 - 300
    rdb.delete(TOKEN_KEY)
    catalogue.product_media("test-50-media", "recent", 10, {})
    assert grants(acquia)["refresh_token"] == 1 and grants(acquia)["password"] == 1
    assert not [e for e in log(acquia, "/") if e["status"] == 401]


def test_wrong_credentials_fail_as_credentials_without_a_retry_storm(acquia, make_source):
    catalogue = make_source(ACQUIA_DAM_PASSWORD="wrong-password").catalogue
    for _ in range(2):
        with pytest.raises(UpstreamError) as err:
            catalogue.product("acme-anvil-50lb")
        assert err.value.kind == "credentials"
    assert [e["status"] for e in log(acquia, "/oauth2/token")] == [401]  # then failing fast
    assert grants(acquia)["password"] == 0

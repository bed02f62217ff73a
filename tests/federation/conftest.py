"""Federated galleries over real sandboxes: every member's sandbox process, and the service
configured for all of them (GALLERY_PROVIDERS in MEMBERS order). A source joins with one line in MEMBERS.
"""
from dataclasses import dataclass

import pytest

from tests.support import sandboxes
from tests.support.app import make_app


@dataclass(frozen=True)
class Member:
    provider: str  # as in `provider` and `providers=`; its sandbox is sandboxes.<provider>
    args: tuple = ()  # sandbox options
    id_prefix: str = ""
    kind: str = "brand"  # the kind its media have by default


MEMBERS = [
    Member("olapic", ("--shard-links",), "", "ugc"),  # links on shard hosts, followed by path
    Member("momapix", ("--expires-in", "3600"), "mpx-"),
    Member("mediagraph", (), "mg-"),
    Member("acquia_dam", (), "ad-"),
]
NAMES = [m.provider for m in MEMBERS]
SHARED = "test-520-media"  # known to every sandbox, with 520 media at Olapic and MomaPIX
ANVIL = "acme-anvil-50lb"  # known to every sandbox, a few media each


@pytest.fixture(scope="session")
def member_urls():
    with sandboxes.running_each((m.provider, m.args) for m in MEMBERS) as urls:
        yield urls


@pytest.fixture
def urls(member_urls):
    """Every member's sandbox, reset to its seeded state."""
    for url in member_urls.values():
        sandboxes.reset(url)
    return member_urls


@pytest.fixture
def make_federated(urls, redis_url):
    """`make_federated(**settings)`: the service for every member's sandbox, in production mode."""
    def make(**overrides):
        return make_app(redis_url, *urls.values(), sandbox_mode=False, GALLERY_PROVIDERS=NAMES,
                        BRAND_CREDIT="Acme", **overrides)
    return make


@pytest.fixture
def app(make_federated):
    return make_federated()


@pytest.fixture
def client(app):
    return app.test_client()


def walk(client, path, **query):
    """Every page of a listing through its cursors: (media in order, pages' bodies)."""
    media, pages, cursor = [], [], None
    while True:
        answer = client.get(path, query_string={**query, **({"cursor": cursor} if cursor else {})})
        assert answer.status_code == 200, answer.json
        pages.append(answer.json)
        media += answer.json["media"]
        cursor = answer.json["next"]
        if not cursor:
            return media, pages
        assert len(pages) < 200, "the walk does not end"

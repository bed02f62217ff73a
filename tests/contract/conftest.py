"""One row per upstream shape: the sandbox (real shapes, links on shard hosts) and the recorded
real-shaped answers (recorded_server.py). Every contract test and replay runs against both."""
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import requests

from tests.conftest import SANDBOX_KEY, make_app

from .recorded_server import CUSTOMER_ID as RECORDED_CUSTOMER, KEY as RECORDED_KEY, RecordedOlapic


@dataclass
class Upstream:
    name: str
    url: str
    key: str
    customer_id: str
    product: str  # a product's tag key, its stream id and how many media its gallery shows
    stream_id: str
    product_media: int
    empty_product: str  # a product without media
    medium: str  # a medium, its original size and a stream it is tagged to
    size: tuple
    medium_stream: str


@pytest.fixture(scope="session")
def recorded_server():
    server = RecordedOlapic().start()
    yield server
    server.stop()


@pytest.fixture(params=["sandbox", "recorded"])
def upstream(request):
    if request.param == "sandbox":
        url = request.getfixturevalue("sandbox")  # reset, links on shard hosts
        catalogue = requests.get(url + "/_sandbox/catalogue", timeout=10).json()
        return Upstream("sandbox", url, SANDBOX_KEY, "215815", "test-51-media",
                        catalogue["streams"]["test-51-media"]["id"], 51, "test-0-media",
                        "3042079992", (513, 432), "2190252887")
    server = request.getfixturevalue("recorded_server")
    return Upstream("recorded", server.url, RECORDED_KEY, RECORDED_CUSTOMER, "nw-trail-boot", "70001", 5,
                    "nw-gift-card", "8000001", (1080, 1350), "70001")


@pytest.fixture
def app(upstream, redis_url):
    return make_app(upstream.url, redis_url, OLAPIC_API_KEY=upstream.key, SANDBOX_MODE=False,
                    CORS_ORIGINS=["*"], PUBLIC_URL="http://localhost")  # production mode: links from it


@pytest.fixture
def client(app):
    return app.test_client()


def local(href):
    """A link the proxy rewrote (//localhost/olapic/...) as a path for the test client."""
    parts = urlsplit(href)
    assert href.startswith("//localhost/olapic"), href
    return parts.path + (f"?{parts.query}" if parts.query else "")


def hrefs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "href" and isinstance(v, str):
                yield v
            else:
                yield from hrefs(v)
    elif isinstance(node, list):
        for v in node:
            yield from hrefs(v)

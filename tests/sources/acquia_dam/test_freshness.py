"""Thumbnail URLs expire (thumbnail_ttl): an answer's freshness and its stale windows stay inside
their usable life, outage or not. When an outage outlasts it, the gallery is no longer served (503)
rather than served with dead image URLs."""
import time

import pytest
import requests

from gallery.media.models import UpstreamError
from tests.support import sandboxes
from tests.support.app import make_app


def test_freshness_never_outlives_a_short_thumbnail_ttl(acquia, redis_url):
    """'+3 min' URLs, a margin of a quarter (45 s): 135 s usable, so the API's 300 s of freshness
    shrink to at most 135 and nothing may be served stale after that."""
    app = make_app(redis_url, acquia, sandbox_mode=False, GALLERY_PROVIDERS=["acquia_dam"],
                   ACQUIA_DAM_THUMBNAIL_TTL="+3 min")
    answer = app.test_client().get("/api/v1/products/acme-anvil-50lb/media")
    assert answer.status_code == 200
    cc = dict(part.strip().partition("=")[::2] for part in answer.headers["Cache-Control"].split(","))
    assert 0 < int(cc["max-age"]) <= 135
    # Browsers and CDNs may serve it stale only inside the URLs' usable life too.
    assert int(cc["max-age"]) + int(cc["stale-while-revalidate"]) <= 135
    assert int(cc["max-age"]) + int(cc["stale-if-error"]) <= 135
    source = app.extensions["registry"].get("acquia_dam")
    assert source.capabilities.urls_valid_for == 135
    ttl_asked = {e["query"].get("thumbnail_ttl") for e in sandboxes.requests_log(acquia, "/folders")}
    assert ttl_asked == {"+3 min"}


def test_an_outage_is_bridged_only_while_the_urls_live(make_source, acquia):
    """Usable for 3 s (a '+3 min' TTL with a 177 s margin), fresh for 1 s: stale for 2 s more while the
    API fails, then the gallery fails instead of showing expired thumbnails."""
    catalogue = make_source(ACQUIA_DAM_THUMBNAIL_TTL="+3 min", ACQUIA_DAM_URL_MARGIN="177",
                            ACQUIA_DAM_EXPIRE_AFTER="1").catalogue
    started = time.monotonic()
    fresh = catalogue.product_media("acme-anvil-50lb", "recent", 10, {})
    assert fresh.freshness.max_age <= 1 and not fresh.freshness.stale
    sandboxes.fault(acquia, path_prefix="/folders", status=503)
    time.sleep(1.3)  # past its freshness (requests-cache keeps time by the real clock)
    stale = catalogue.product_media("acme-anvil-50lb", "recent", 10, {})
    assert [m["id"] for m in stale.items] == [m["id"] for m in fresh.items]
    assert stale.freshness.max_age == 0 and stale.freshness.stale
    for medium in stale.items[:2]:  # what it serves still loads
        assert requests.get(medium["renditions"][0]["url"], timeout=10).status_code == 200
    time.sleep(max(0.0, started + 3.5 - time.monotonic()))  # past the URLs' usable life
    with pytest.raises(UpstreamError):
        catalogue.product_media("acme-anvil-50lb", "recent", 10, {})


def test_urls_that_never_expire_leave_the_service_windows_alone(make_source):
    source = make_source(ACQUIA_DAM_THUMBNAIL_TTL="no-expiration")
    page = source.catalogue.product_media("test-1-media", "recent", 1, {})
    assert source.capabilities.urls_valid_for is None and page.freshness.max_age > 200
    assert "Expires" not in page.items[0]["renditions"][0]["url"]

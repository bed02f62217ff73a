"""Answers holding image links that expire (signed URLs): never fresh, nor served stale, past them."""
import time

import pytest
from gallery.api.caching import cached_json
from gallery.media.models import Freshness, UpstreamError
from tests.core.conftest import inject_fault, sandbox_requests


def test_capped_bounds_freshness_and_usability():
    capped = Freshness(600).capped(30)
    assert (capped.max_age, capped.usable_for) == (30, 30)
    assert Freshness(10).capped(30).usable_for == 30
    assert Freshness(10, usable_for=20).capped(30).usable_for == 20
    assert Freshness(10, usable_for=20).aged(4) == Freshness(6, False, 16)
    assert Freshness(10).aged(15) == Freshness(0)
    least = Freshness.least([Freshness(50), Freshness(40, usable_for=45), Freshness(60, True)])
    assert least == Freshness(40, True, 45)
    assert Freshness.least([Freshness(5), Freshness(9)]).usable_for is None


@pytest.mark.parametrize("freshness, windows", [
    (Freshness(10, usable_for=25), (15, 15)),  # caches may serve it stale only while its links live
    (Freshness(0, True, usable_for=0), (0, 0)),
    (Freshness(10), None),  # no expiry: the service's own windows
])
def test_our_stale_windows_stay_inside_the_links_validity(app, freshness, windows):
    swr, sie = windows or (app.config["STALE_WHILE_REVALIDATE"], app.config["STALE_IF_ERROR"])
    with app.test_request_context("/"):
        response = cached_json({}, freshness)
    assert response.headers["Cache-Control"] == (
        f"public, max-age={freshness.max_age}, stale-while-revalidate={swr}, stale-if-error={sie}")


def test_an_answer_is_fresh_no_longer_than_its_links(make_client, sandbox):
    client = make_client(sandbox, urls_valid_for=30)
    client.get("/customers/215815")
    answer = client.get("/customers/215815")  # the sandbox says max-age=600
    assert 0 < answer.freshness.max_age <= 30 and 0 < answer.freshness.usable_for <= 30


def test_expired_links_are_fetched_anew_and_never_served_stale(make_client, sandbox):
    client = make_client(sandbox, urls_valid_for=1)
    client.get("/customers/215815")
    time.sleep(1.1)  # real time: the links' age is the cache entry's, not the sandbox clock's
    client.get("/customers/215815")  # fresh for the upstream, but its links expired: asked again
    assert len(sandbox_requests(sandbox)) == 2
    time.sleep(1.1)
    inject_fault(sandbox, path_prefix="/customers", status=503)
    with pytest.raises(UpstreamError):  # the outage may not bring the expired links back
        client.get("/customers/215815")

"""The process's prefetch threads (gallery/media/federation.py) held by a hung provider do not hold
other requests: their members are read by their own threads meanwhile."""
import threading

from gallery.media.federation import PREFETCH_THREADS
from tests.federation.conftest import ANVIL
from tests.support import sandboxes
from tests.support.app import make_app
from tests.support.processes import wait_for

# Listings whose Mediagraph page is asked of no one yet once their collections are known (warmed
# under `recent`): each a distinct upstream call, so each holds a prefetch thread of its own.
PRODUCTS = [ANVIL] + [f"test-{n}-media" for n in (1, 10, 11, 50, 51, 520)]
HUNG = [(p, sort) for sort in ("rated", "media_position") for p in PRODUCTS][:PREFETCH_THREADS]


def test_a_hung_provider_holding_every_prefetch_thread_does_not_hold_other_requests(urls, redis_url):
    with sandboxes.running("mediagraph") as hung:  # our own: stopping it ends the hung calls
        app = make_app(redis_url, urls["olapic"], hung, urls["acquia_dam"], sandbox_mode=False,
                       GALLERY_PROVIDERS=["olapic", "mediagraph", "acquia_dam"], BRAND_CREDIT="Acme",
                       UPSTREAM_MAX_IN_FLIGHT=PREFETCH_THREADS, UPSTREAM_READ_TIMEOUT=60.0)
        client = app.test_client()
        for product in PRODUCTS:
            assert client.get(f"/api/v1/products/{product}/media", query_string={"providers": "mediagraph"}).status_code == 200
        healthy = f"/api/v1/products/{ANVIL}/media?providers=olapic,acquia_dam"
        assert client.get(healthy).status_code == 200  # its pages cached: it needs no thread but a free one
        app.extensions["rendered_answers"].forget()
        sandboxes.fault(hung, path_prefix="/", latency=60, count=len(HUNG))
        held = []

        def ask(product, sort):
            held.append(app.test_client().get(f"/api/v1/products/{product}/media",
                                              query_string={"providers": "olapic,mediagraph", "sort": sort}))

        threads = [threading.Thread(target=ask, args=listing, daemon=True) for listing in HUNG]
        for t in threads:
            t.start()
        # Every fault taken: each prefetch thread waits in a Mediagraph call.
        wait_for(lambda: not sandboxes.op("GET", hung, "/faults").json()["faults"], "every prefetch thread held")
        answers = []
        other = threading.Thread(target=lambda: answers.append(app.test_client().get(healthy)), daemon=True)
        other.start()
        other.join(30)  # a bound against hangs: the held threads wait a minute
        assert answers and answers[0].status_code == 200, "the other request waited for the hung provider's threads"
        assert {m["provider"] for m in answers[0].json["media"]} == {"olapic", "acquia_dam"}
        assert not held and all(t.is_alive() for t in threads)
    for t in threads:  # the hung sandbox is gone: its calls fail, those pages come without it (or fail
        t.join(30)      # where Olapic does not know the product)
    assert len(held) == len(HUNG)
    assert all(a.json["partial"] == ["mediagraph"] if a.status_code == 200 else a.status_code == 503 for a in held)

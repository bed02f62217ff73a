"""REDIS_URL as `redis+sentinel://` against a real Sentinel watching a primary and two replicas: the
primary is killed while uploads come in, a replica is promoted, and the cache, single flight, the rate
limits and the upload queue carry on, with no accepted upload lost (docs/operations.md)."""
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from gallery.media import changes
from tests.support import sandboxes
from tests.support.app import rebuild_sources
from tests.support.processes import start_python, stop, wait_for
from tests.support.redis_servers import Sentinel, Server
from tests.uploads.conftest import PRODUCT, make_app, photo, submit

GALLERY = f"/api/v1/products/{PRODUCT}/media"
COLD = "/api/v1/products/test-21-media/media"  # first asked after the failover
FAILOVER = 30  # anti-hang bound, seconds: Sentinel notices in 1 s and promotes within a few


@pytest.fixture
def deployment(tmp_path):
    primary = Server(tmp_path / "primary")
    replicas = [Server(tmp_path / f"replica{i}", primary=primary) for i in (1, 2)]
    wait_for(lambda: len(primary.replicas_online()) == 2, "both replicas in sync")
    sentinel = Sentinel(tmp_path / "sentinel", primary)
    yield primary, replicas, sentinel
    for process in (sentinel, *replicas, primary):
        process.stop()


def upstream_calls(sandbox, path_prefix=None):
    return len(sandboxes.requests_log(sandbox, path_prefix))


def test_cache_single_flight_limits_and_queue_survive_a_failover(deployment, sandbox):
    primary, replicas, sentinel = deployment
    app = make_app(sandbox, sentinel.url, UPLOAD_LIMITS_PER_EMAIL="3 per hour")
    client = app.test_client()
    assert client.get(GALLERY).status_code == 200  # cached in Redis (and replicated)
    limited = [submit(client, data=photo(quality=q), email="limited@example.com") for q in (90, 89)]
    assert [r.status_code for r in limited] == [202, 202]  # 2 of this email's 3 counted

    accepted, refused, stop_uploading = [], [], threading.Event()

    def keep_uploading():  # a shopper after another, while the primary dies: each answer is 202 or 503
        uploader, n = app.test_client(), 0
        while not stop_uploading.is_set() and n < 1000:  # (an anti-hang bound: ~0.2 s a try while refused)
            n += 1
            answer = submit(uploader, data=photo(quality=10 + n % 80, optimize=n > 80), email=f"s{n}@example.com")
            (accepted if answer.status_code == 202 else refused).append(answer)
            assert answer.status_code in (202, 503), answer.json
            if answer.status_code == 503:  # trying again in a moment, as a shopper would: quick 503s would
                time.sleep(0.2)  # otherwise use up the tries before a slow machine's failover is over

    uploading = threading.Thread(target=keep_uploading)
    uploading.start()
    try:
        wait_for(lambda: len(accepted) >= 3, "uploads accepted before the failover", bound=FAILOVER)
        primary.kill()
        wait_for(lambda: sentinel.primary_port() in {r.port for r in replicas}, "a replica promoted", bound=FAILOVER)
        wait_for(lambda: client.get("/readyz").json["redis"] == "ok", "the service on the new primary",
                 bound=FAILOVER)
        at_failover, at_refused = len(accepted), len(refused)
        wait_for(lambda: len(accepted) >= at_failover + 3,
                 lambda: f"uploads accepted after the failover ({len(refused) - at_refused} refused since, the last "
                         f"{refused[-1].json if refused else None})", bound=FAILOVER)
    finally:
        stop_uploading.set()
        uploading.join(FAILOVER)
    accepted += limited

    # The cache: in the new primary still, as a new process finds it (this one's sources may still be
    # waiting out their Redis-down interval, and its memos forget).
    rebuild_sources(app)
    changes.forget_here()
    before = upstream_calls(sandbox)
    assert client.get(GALLERY).status_code == 200
    assert upstream_calls(sandbox) == before, sandboxes.requests_log(sandbox)[before:]

    # Single flight: concurrent cold requests make one upstream request per URL.
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: app.test_client().get(COLD).status_code, range(8)))
    assert answers == [200] * 8
    cold = [(c["path"], tuple(sorted(c["query"].items()))) for c in sandboxes.requests_log(sandbox)][before:]
    assert cold and len(cold) == len(set(cold)), cold

    # The limits: this email's count came through the failover.
    assert submit(client, data=photo(quality=88), email="limited@example.com").status_code == 202
    assert submit(client, data=photo(quality=87), email="limited@example.com").status_code == 429

    # The queue: the worker, on the new primary through Sentinel, delivers every accepted upload.
    ids = {a.json["upload"]["id"] for a in accepted}
    worker = start_python("-m", "gallery.worker",
                          env={**os.environ, **sandboxes.credentials(sandbox), "REDIS_URL": sentinel.url})
    try:
        def delivered():
            return {i for i in ids if client.get(f"/api/v1/uploads/{i}").json["upload"]["status"] == "submitted"}
        wait_for(lambda: delivered() >= ids, "every accepted upload delivered", bound=60)
    finally:
        stop(worker)

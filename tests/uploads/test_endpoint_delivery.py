"""Delivery through a real RQ worker to the sandbox's moderation queue, over real sockets."""
import io
import json
import time

import redis
import requests
from PIL import Image
from rq import SimpleWorker

from gallery.uploads import jobs
from tests.conftest import wait_for
from tests.support.workers import killed_mid_step

from .conftest import PRODUCT, add_fault, make_app, moderation, run_worker, submit
from . import corpus
from .corpus import SYDNEY


def burst(app):
    """One pass of a real RQ worker over the queue, retries not waited for."""
    with app.app_context():
        SimpleWorker([jobs.QUEUE], connection=redis.Redis.from_url(app.config["REDIS_URL"])).work(burst=True)


def sandbox_log(sandbox, path_prefix):
    response = requests.get(f"{sandbox}/_sandbox/requests", params={"path_prefix": path_prefix}, timeout=10)
    return [c for c in response.json()["requests"] if c["method"] == "POST"]


def queue_ids(sandbox):
    return {m["id"] for m in moderation(sandbox)}


def new_pending(sandbox, before):
    return [m for m in moderation(sandbox) if m["id"] not in before and m["status"] == "pending"]


def stream_ids(medium):
    streams = medium["_embedded"]["streams:all"]["_embedded"]["stream"]
    return [str(s["id"]) for s in ([streams] if isinstance(streams, dict) else streams)]


def gallery_ids(client, product=PRODUCT):
    response = client.get(f"/api/v1/products/{product}/media?limit=100")
    assert response.status_code == 200
    return [m["id"] for m in response.get_json()["media"]]


def original_bytes(medium):
    response = requests.get(medium["images"]["original"], timeout=10)
    response.raise_for_status()
    return response.content


def test_jpeg_with_gps_ends_pending_without_gps_on_the_products_stream(app, client, sandbox, catalogue):
    before = queue_ids(sandbox)
    upload = submit(client, caption="Anvil at the beach").get_json()["upload"]
    records = run_worker(app, [upload["id"]])
    assert records[upload["id"]]["status"] == "submitted"
    assert client.get(upload["status_url"]).get_json()["upload"]["status"] == "submitted"

    [medium] = new_pending(sandbox, before)
    assert medium["caption"] == "Anvil at the beach"
    assert stream_ids(medium) == [str(catalogue["streams"][PRODUCT]["id"])]
    assert not medium.get("location")  # share_location was off
    data = original_bytes(medium)
    image = Image.open(io.BytesIO(data))
    assert not image.getexif()  # no EXIF at all, so no GPS
    assert b"Exif" not in data and b"TestCam" not in data
    assert image.size == (48, 64)  # turned upright before the EXIF went
    # Pending: not in the gallery, not by id.
    assert medium["id"] not in gallery_ids(client)
    assert client.get(f"/api/v1/media/{medium['id']}").status_code == 404
    # Delivered: the bytes and the email are gone from Redis.
    r = app.extensions["redis"]
    assert r.get(f"gallery:upload:{upload['id']}:file") is None
    assert not any(b"jane@example.com" in (r.dump(k) or b"") for k in r.keys("*"))


def test_shared_location_is_sent_as_latitude_and_longitude(app, client, sandbox):
    before = queue_ids(sandbox)
    upload = submit(client, share_location="on").get_json()["upload"]
    run_worker(app, [upload["id"]])
    [medium] = new_pending(sandbox, before)
    assert medium["location"]["latitude"] == SYDNEY[0]
    assert medium["location"]["longitude"] == SYDNEY[1]
    assert not Image.open(io.BytesIO(original_bytes(medium))).getexif()  # the bytes carry none


def test_approved_upload_becomes_visible_after_cache_expiry(short_sandbox, redis_url):
    sandbox = short_sandbox
    app = make_app(sandbox, redis_url, STALE_WHILE_REVALIDATE=0)
    client = app.test_client()
    before_gallery = gallery_ids(client)  # cached now, for two seconds
    before = queue_ids(sandbox)
    upload = submit(client).get_json()["upload"]
    run_worker(app, [upload["id"]])
    [medium] = new_pending(sandbox, before)
    assert medium["id"] not in before_gallery

    approved = requests.post(f"{sandbox}/_sandbox/moderation/{medium['id']}/approve", timeout=10)
    approved.raise_for_status()
    deadline = time.monotonic() + 30
    while medium["id"] not in gallery_ids(client):
        assert time.monotonic() < deadline, "approved medium never appeared"
        time.sleep(0.2)
    shown = client.get(f"/api/v1/media/{medium['id']}").get_json()["media"]
    assert shown["caption"] == "My anvil"
    assert [p["tag_key"] for p in shown["products"]] == [PRODUCT]


def test_duplicate_submission_with_the_same_key_is_one_medium(app, client, sandbox):
    before = queue_ids(sandbox)
    headers = {"Idempotency-Key": "b0d6a3c2-1"}
    first = submit(client, headers=headers).get_json()["upload"]
    run_worker(app, [first["id"]])
    again = submit(client, headers=headers)  # e.g. the shopper's browser retried after a timeout
    assert again.status_code == 202
    assert again.get_json()["upload"] == {**first, "status": "submitted"}
    run_worker(app, [first["id"]])
    assert len(new_pending(sandbox, before)) == 1


def test_upstream_failing_for_a_while_ends_with_one_medium(app, client, sandbox):
    before = queue_ids(sandbox)
    add_fault(sandbox, path_prefix="/stashes", status=503, count=2)
    upload = submit(client).get_json()["upload"]
    records = run_worker(app, [upload["id"]])
    assert records[upload["id"]]["status"] == "submitted"
    assert len(new_pending(sandbox, before)) == 1
    assert [c["status"] for c in sandbox_log(sandbox, "/stashes")] == [503, 503, 200]


def test_lost_answer_to_the_media_post_does_not_duplicate(sandbox, redis_url):
    """The upstream creates the medium but its answer never arrives (read timeout): the retry finds
    the single-use stash used, and so knows that the medium exists."""
    app = make_app(sandbox, redis_url, UPLOAD_READ_TIMEOUT=1.5, UPLOAD_RETRY_DELAYS=[5, 5, 5])
    before = queue_ids(sandbox)
    add_fault(sandbox, path_prefix="/users/", latency=3, count=1)  # the media POST answers late once
    upload = submit(app.test_client()).get_json()["upload"]
    deadline = time.monotonic() + 60
    while not sandbox_log(sandbox, "/users/"):  # the sandbox logs the late media POST once it has answered
        assert time.monotonic() < deadline, "the media POST never reached the sandbox"
        burst(app)  # attempts, until one gives up waiting for the media POST's answer
        time.sleep(0.1)
    assert len(new_pending(sandbox, before)) == 1
    records = run_worker(app, [upload["id"]])  # the retry, 5 s after the attempt gave up
    assert records[upload["id"]]["status"] == "submitted"
    assert records[upload["id"]]["media_id"] == ""  # created by the attempt whose answer was lost
    assert len(new_pending(sandbox, before)) == 1
    assert len(sandbox_log(sandbox, "/users/")) == 2  # the lost one, and the retry that found the stash used


def test_stash_expired_before_use_is_stashed_again(app, client, sandbox):
    before = queue_ids(sandbox)
    add_fault(sandbox, path_prefix="/users/", status=503, count=1)  # the media POST fails once...
    upload = submit(client).get_json()["upload"]
    # ...then, while the job waits to retry, the stash expires (sandbox clock: one hour and a bit).
    burst(app)
    record = {k.decode(): v.decode() for k, v in app.extensions["redis"].hgetall(f"gallery:upload:{upload['id']}").items()}
    assert record["status"] == "stashed"
    first_stash = record["stash_id"]
    requests.post(f"{sandbox}/_sandbox/clock", json={"advance": 3700}, timeout=10).raise_for_status()
    records = run_worker(app, [upload["id"]])
    assert records[upload["id"]]["status"] == "submitted"
    assert records[upload["id"]]["stash_id"] != first_stash
    assert len(new_pending(sandbox, before)) == 1


def test_unknown_product_at_delivery_fails_with_a_reason(app, client, sandbox):
    upload = submit(client).get_json()["upload"]
    # The product leaves the catalogue between acceptance and delivery.
    app.extensions["redis"].hset(f"gallery:upload:{upload['id']}", "tag_key", "gone-product")
    records = run_worker(app, [upload["id"]])
    assert records[upload["id"]]["status"] == "failed"
    status = client.get(upload["status_url"]).get_json()["upload"]
    assert status == {**upload, "status": "failed", "reason": "This product no longer takes photos."}


def test_upstream_down_for_good_fails_with_a_reason(app, client, sandbox):
    app.config["UPLOAD_RETRY_DELAYS"] = [1]
    add_fault(sandbox, path_prefix="/stashes", status=503)
    upload = submit(client).get_json()["upload"]
    records = run_worker(app, [upload["id"]])
    assert records[upload["id"]]["status"] == "failed"
    reason = client.get(upload["status_url"]).get_json()["upload"]["reason"]
    assert "try again" in reason.lower() or "submit it again" in reason.lower()
    assert app.extensions["redis"].get(f"gallery:upload:{upload['id']}:file") is None


def test_worker_killed_mid_job_loses_nothing_and_duplicates_nothing(sandbox, redis_url, workers):
    """SIGKILL the worker (and its work horse) while the media POST is in flight: the upstream still
    creates the medium. A restarted worker finds the dead job, runs it again, and submits once."""
    app = make_app(sandbox, redis_url, UPLOAD_RETRY_DELAYS=[0, 0])  # see tests/support/workers.py
    client = app.test_client()
    before = queue_ids(sandbox)
    add_fault(sandbox, path_prefix="/users/", latency=3, count=1)  # the media POST is slow once
    upload = submit(client).get_json()["upload"]
    record = killed_mid_step(workers, app.extensions["redis"], upload["id"], "sent")
    assert record["status"] == "submitted"
    assert len(new_pending(sandbox, before)) == 1
    assert client.get(upload["status_url"]).get_json()["upload"]["status"] == "submitted"


def test_accepted_while_the_upstream_is_down_and_delivered_once_it_is_back(app, client, sandbox):
    app.config["UPLOAD_RETRY_DELAYS"] = [2, 2, 2, 2, 2, 2]  # outlasts the client's memory of a failure (5 s)
    before = queue_ids(sandbox)
    add_fault(sandbox, path_prefix="/", status=503)
    response = submit(client)
    assert response.status_code == 202  # the product could not be checked: accepted all the same
    upload = response.get_json()["upload"]
    burst(app)  # the first attempt fails: the upstream is still down
    assert client.get(upload["status_url"]).get_json()["upload"]["status"] == "queued"
    requests.delete(sandbox + "/_sandbox/faults", timeout=10).raise_for_status()
    records = run_worker(app, [upload["id"]])
    assert records[upload["id"]]["status"] == "submitted"
    assert len(new_pending(sandbox, before)) == 1


def test_the_work_horse_logs_reach_the_log(sandbox, redis_url, worker_process, tmp_path):
    """RQ runs each job in a forked work horse that ends with os._exit: its lines must be written
    before then, "giving up" above all."""
    app = make_app(sandbox, redis_url, UPLOAD_RETRY_DELAYS=[])  # the first failure is the last
    client = app.test_client()
    add_fault(sandbox, path_prefix="/", status=503)
    upload = submit(client).get_json()["upload"]
    log_path = tmp_path / "worker.log"
    with open(log_path, "w") as log_file:
        worker_process(stderr=log_file)
        wait_for(lambda: client.get(upload["status_url"]).get_json()["upload"]["status"] == "failed",
                 "the upload failed", bound=60)
        wait_for(lambda: f"upload {upload['id']}: giving up" in log_path.read_text(), "giving up logged")
    [line] = [line for line in log_path.read_text().splitlines() if "giving up" in line]
    assert json.loads(line)["level"] == "ERROR"


def test_a_transparent_lossy_webp_is_delivered_as_a_webp(app, client, sandbox):
    before = queue_ids(sandbox)
    data = corpus.webp(corpus.cut_out(corpus.grainy((300, 200))), quality=60)
    upload = submit(client, data, filename="cutout.webp").get_json()["upload"]
    record = run_worker(app, [upload["id"]])[upload["id"]]
    assert (record["status"], record["content_type"]) == ("submitted", "image/webp")
    [stash] = sandbox_log(sandbox, "/stashes")
    assert stash["status"] == 200 and len(new_pending(sandbox, before)) == 1  # the sandbox took it as a WebP

"""Shoppers' uploads delivered to Mediagraph (UPLOAD_PROVIDER=mediagraph): the contribution flow into
review, resumed and never duplicated; a reviewer's approval, told by a webhook, makes it appear."""
import threading

import requests

from gallery.sources.mediagraph.submissions import PROCESSING_FAILED, REFUSED
from gallery.uploads import jobs
from tests.support import sandboxes
from tests.support.processes import wait_for
from tests.support.workers import Workers, killed_mid_step
from tests.uploads.conftest import run_worker, submit

from .conftest import WEBHOOK_SECRET, app_for, log, operator

PRODUCT = "acme-anvil-50lb"


def in_review(mediagraph):
    """Assets our uploads put in review (the sandbox's moderation queue)."""
    return [m for m in sandboxes.moderation(mediagraph) if m.get("upload")]


def puts(mediagraph):
    return [e["status"] for e in sandboxes.requests_log(mediagraph, "/_s3/") if e["method"] == "PUT"]


def test_an_upload_lands_in_review_once_and_not_in_the_gallery(mediagraph, redis_url, mg_catalogue):
    app = app_for(mediagraph, redis_url)
    client = app.test_client()
    upload = submit(client, caption="My anvil <b>rocks</b>", name="Jane").get_json()["upload"]
    done = run_worker(app, [upload["id"]])[upload["id"]]
    assert done["status"] == "submitted"
    (asset,) = in_review(mediagraph)
    assert str(asset["id"]) == done["media_id"] and asset["created_via_id"] == upload["id"]
    assert asset["upload"]["name"] == PRODUCT and "Jane" in asset["upload"]["note"]
    assert (asset["description"], asset["credit_line"], asset["submitted"]) == ("My anvil <b>rocks</b>", "Jane", True)
    assert "jane@example.com" not in str(asset) and "email" not in done  # the email never leaves us
    for secret in mg_catalogue["upload_secrets"].values():
        assert secret not in str(done)
    assert [e["path"].rsplit("/", 1)[-1] for e in log(mediagraph, "/api/") if e["method"] != "GET"
            or e["path"].endswith("set_uploaded")][-5:] == ["uploads", "assets", str(asset["id"]), "set_uploaded",
                                                            "set_done"]
    assert puts(mediagraph) == [200]
    gallery = client.get(f"/api/v1/products/{PRODUCT}/media", query_string={"limit": 100}).json["media"]
    assert f"mg-{asset['id']}" not in [m["id"] for m in gallery]  # in review: not shown
    assert client.get(f"/api/v1/media/mg-{asset['id']}").status_code == 404


def test_a_signed_url_that_expires_during_the_upload_restarts_the_asset(mediagraph, redis_url):
    """The PUT is slow once and the hour runs out meanwhile (the sandbox clock): S3 answers 403
    "Request has expired"; the byte-less asset goes to the trash and a new one gets a new URL."""
    app = app_for(mediagraph, redis_url)
    sandboxes.fault(mediagraph, path_prefix="/_s3/", latency=1.5, count=1)
    upload = submit(app.test_client()).get_json()["upload"]

    def prepared():
        return any(e["method"] == "POST" and e["path"].endswith("/assets") for e in log(mediagraph, "/api/uploads"))

    def expire_the_url():
        wait_for(prepared, "the asset prepared", 30)
        sandboxes.advance(mediagraph, 3601)

    clock = threading.Thread(target=expire_the_url)
    clock.start()
    done = run_worker(app, [upload["id"]])[upload["id"]]
    clock.join(30)
    assert done["status"] == "submitted"
    assert puts(mediagraph) == [403, 200]
    (asset,) = in_review(mediagraph)
    assert str(asset["id"]) == done["media_id"]
    deleted = [e for e in log(mediagraph, "/api/assets/") if e["method"] == "DELETE"]
    assert len(deleted) == 1 and not deleted[0]["path"].endswith(str(asset["id"]))


def test_worker_killed_mid_upload_ends_with_exactly_one_asset_in_review(mediagraph, redis_url):
    """SIGKILL the worker while its PUT is in flight (S3 still stores the bytes). A restarted worker
    finds the dead job (RQ's maintenance, once its heartbeat lapsed) and runs it again: the asset whose
    URL it never kept is trashed and prepared again, one asset in review."""
    app = app_for(mediagraph, redis_url, UPLOAD_RETRY_DELAYS=[0, 0])  # see tests/support/workers.py
    sandboxes.fault(mediagraph, path_prefix="/_s3/", latency=2, count=1)  # the first PUT is slow
    upload = submit(app.test_client()).get_json()["upload"]
    workers = Workers(REDIS_URL=redis_url, GALLERY_PROVIDERS="mediagraph", UPLOAD_PROVIDER="mediagraph",
                      **sandboxes.credentials(mediagraph))
    try:  # asset_id is recorded once the asset is prepared, before its PUT
        record = killed_mid_step(workers, app.extensions["redis"], upload["id"], "asset_id")
    finally:
        workers.stop()
    assert record["status"] == "submitted"
    (asset,) = in_review(mediagraph)
    assert str(asset["id"]) == record["media_id"]
    deleted = [e["path"] for e in log(mediagraph, "/api/assets/") if e["method"] == "DELETE"]
    assert len(deleted) == 1 and not deleted[0].endswith(str(asset["id"]))  # the killed attempt's
    assert len([e for e in log(mediagraph, "/api/contributions") if e["method"] == "POST"]) == 1  # one session


def test_approval_told_by_a_webhook_makes_the_upload_appear_at_once(mediagraph, redis_url, mg_catalogue):
    app = app_for(mediagraph, redis_url)  # answers fresh 5 minutes: only the webhook can show it sooner
    client = app.test_client()
    receiver = f"/webhooks/mediagraph/{WEBHOOK_SECRET}"
    creds = sandboxes.credentials(mediagraph)
    requests.post(f"{mediagraph}/api/webhooks", auth=("", creds["MEDIAGRAPH_TOKEN"]), timeout=10,
                  headers={"OrganizationId": creds["MEDIAGRAPH_ORGANIZATION_ID"]},
                  json={"webhook": {"name": "gallery", "url": f"https://gallery.example{receiver}",
                                    "events": "asset.updated,collection.updated,asset.deleted"}}).raise_for_status()
    path = f"/api/v1/products/{PRODUCT}/media"

    def shown(media_id):
        return f"mg-{media_id}" in [m["id"] for m in client.get(path, query_string={"limit": 100}).json["media"]]

    upload = submit(client).get_json()["upload"]
    media_id = run_worker(app, [upload["id"]])[upload["id"]]["media_id"]
    assert not shown(media_id)
    operator(mediagraph, "DELETE", "/webhooks")
    operator(mediagraph, "POST", f"/moderation/{media_id}/approve")
    assert not shown(media_id)  # the cached gallery, until Mediagraph tells us

    assert client.post("/webhooks/mediagraph/wrong-secret", json={"event": "collection.updated"}).status_code == 404
    deliveries = operator(mediagraph, "GET", "/webhooks")["deliveries"]
    assert {d["event"] for d in deliveries} == {"asset.updated", "collection.updated"}
    for delivery in deliveries:
        answer = client.post(receiver, json=delivery["payload"])
        assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert shown(media_id)
    medium = client.get(f"/api/v1/media/mg-{media_id}").json["media"]
    assert medium["provider"] == "mediagraph" and medium["products"][0]["tag_key"] == PRODUCT
    assert client.post(receiver, data="not json", content_type="application/json").status_code == 400


def test_a_lost_answer_to_the_prepare_leaves_no_second_asset(mediagraph, redis_url):
    """The prepare is slower than our read timeout: Mediagraph made the asset, we never saw it. The
    retry finds it among the session's assets, trashes it (its signed URL is unknown) and prepares anew."""
    # The retry (2 s after our 1 s timeout) comes well after the slow prepare (1.5 s) made its asset.
    app = app_for(mediagraph, redis_url, UPSTREAM_READ_TIMEOUT=1, UPLOAD_RETRY_DELAYS=[2, 2, 2])
    # The first call under /api/uploads/ is the prepare (POST /api/uploads/<guid>/assets).
    sandboxes.fault(mediagraph, path_prefix="/api/uploads/", latency=1.5, count=1)
    upload = submit(app.test_client()).get_json()["upload"]
    done = run_worker(app, [upload["id"]])[upload["id"]]
    assert done["status"] == "submitted"
    (asset,) = in_review(mediagraph)
    prepares = [e for e in log(mediagraph, "/api/uploads/") if e["method"] == "POST"]
    deleted = [e for e in log(mediagraph, "/api/assets/") if e["method"] == "DELETE"]
    assert len(prepares) == 2 and len(deleted) == 1 and not deleted[0]["path"].endswith(str(asset["id"]))


def test_a_422_on_the_prepare_while_the_session_is_there_is_a_refusal(mediagraph, redis_url):
    """Mediagraph refuses the asset (422) and its session is still there (its listing answers): the
    upload fails as refused, without a second session or a loop of prepares."""
    app = app_for(mediagraph, redis_url)
    sandboxes.fault(mediagraph, path_prefix="/api/uploads/", status=422, count=1)  # the prepare
    upload = submit(app.test_client()).get_json()["upload"]
    done = run_worker(app, [upload["id"]])[upload["id"]]
    assert done["status"] == "failed" and done["reason"] == f"{REFUSED} (422)"
    calls = [(e["method"], e["status"]) for e in log(mediagraph, "/api/uploads/")]
    assert calls == [("POST", 422), ("GET", 200)]  # the prepare, then the look at the session
    assert len([e for e in log(mediagraph, "/api/contributions") if e["method"] == "POST"]) == 1
    assert puts(mediagraph) == [] and in_review(mediagraph) == []


def test_a_lost_answer_to_set_done_is_a_success_once_the_asset_is_seen_submitted(mediagraph, redis_url):
    """set_done is applied but its answer never comes (the connection drops): the retry's set_done is
    422 (the session is done); the asset, looked at, is submitted, so the upload is too."""
    app = app_for(mediagraph, redis_url)
    sandboxes.fault(mediagraph, path_prefix="/_s3/", latency=1, count=1)  # time to aim the next fault
    upload = submit(app.test_client()).get_json()["upload"]
    r = app.extensions["redis"]

    def drop_the_set_done_answer():
        wait_for(lambda: r.hget(f"gallery:upload:{upload['id']}", "session_id"), "the session created", 30)
        session_id = r.hget(f"gallery:upload:{upload['id']}", "session_id").decode()
        sandboxes.fault(mediagraph, path_prefix=f"/api/uploads/{session_id}/set_done", drop="after", count=1)

    aim = threading.Thread(target=drop_the_set_done_answer)
    aim.start()
    done = run_worker(app, [upload["id"]])[upload["id"]]
    aim.join(30)
    assert done["status"] == "submitted"
    (asset,) = in_review(mediagraph)
    assert str(asset["id"]) == done["media_id"] and asset["submitted"] is True
    assert [e["status"] for e in log(mediagraph, "/api/uploads/") if e["path"].endswith("/set_done")] == [None, 422]


def test_a_signed_url_on_a_host_not_allowed_is_never_put(mediagraph, redis_url, caplog):
    """MEDIAGRAPH_UPLOAD_HOSTS leaves out the host the sandbox signs for: the bytes are never sent, the
    upload fails once its retries are spent, and the byte-less assets never reach review."""
    app = app_for(mediagraph, redis_url, MEDIAGRAPH_UPLOAD_HOSTS="uploads.example.com, *.s3.amazonaws.com",
                  UPLOAD_RETRY_DELAYS=[1])
    upload = submit(app.test_client()).get_json()["upload"]
    done = run_worker(app, [upload["id"]])[upload["id"]]
    assert done["status"] == "failed"
    assert puts(mediagraph) == [] and in_review(mediagraph) == []
    host = mediagraph.split("://", 1)[1]
    assert any(f"on {host}, not in MEDIAGRAPH_UPLOAD_HOSTS" in r.getMessage() for r in caplog.records)


def test_an_asset_whose_processing_fails_fails_its_submitted_upload(mediagraph, redis_url):
    """Mediagraph processes the asset in the background, after set_done: the delivery's follow-up check
    sees processing_error, and the submitted upload becomes failed (code processing_error)."""
    app = app_for(mediagraph, redis_url)
    client = app.test_client()
    upload = submit(client).get_json()["upload"]
    done = run_worker(app, [upload["id"]])[upload["id"]]
    assert done["status"] == "submitted"
    operator(mediagraph, "POST", f"/assets/{done['media_id']}/fail_processing")  # still processing: 3 s
    sandboxes.advance(mediagraph, 5)  # its processing is over
    record = run_worker(app, [upload["id"]], final=("failed",))[upload["id"]]
    assert (record["code"], record["reason"]) == ("processing_error", PROCESSING_FAILED)
    assert client.get(f"/api/v1/uploads/{upload['id']}").get_json()["upload"]["status"] == "failed"


def test_an_asset_processed_leaves_its_upload_submitted_and_is_checked_no_more(mediagraph, redis_url):
    """The first check (right after set_done) finds it processing; once processed, the next is the last."""
    app = app_for(mediagraph, redis_url)
    upload = submit(app.test_client()).get_json()["upload"]
    media_id = run_worker(app, [upload["id"]])[upload["id"]]["media_id"]
    sandboxes.advance(mediagraph, 5)  # its processing is over
    q = jobs.queue(app.extensions["redis"])

    def checks_over():
        run_worker(app, [upload["id"]])  # a burst: the check due runs
        return q.count == 0 and q.scheduled_job_registry.count == 0

    wait_for(checks_over, "the follow-up checks over", 30)
    assert app.extensions["redis"].hget(f"gallery:upload:{upload['id']}", "status") == b"submitted"
    checks = [e["status"] for e in log(mediagraph, f"/api/assets/{media_id}") if e["method"] == "GET"]
    assert checks == [200, 200]

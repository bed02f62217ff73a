"""Shoppers' uploads delivered to Acquia DAM (UPLOAD_PROVIDER=acquia_dam): generateupload, a PUT with
the same Content-Type, finishupload, into the review folder where they wait "onhold"; never twice,
restarted from step one when the presigned URL or process expired; a curator's approval (and the change
feed it notifies) makes the asset appear."""
import pytest
import requests

from gallery.media import feeds
from gallery.media.ports import Retry, Upload
from tests.support import sandboxes
from tests.support.app import make_app
from tests.support.workers import Workers, killed_mid_step
from tests.uploads.conftest import GENEROUS, photo, run_worker, submit

PRODUCT = "acme-anvil-50lb"


def app_for(acquia, redis_url, **overrides):
    return make_app(redis_url, acquia, sandbox_mode=False, **{
        "GALLERY_PROVIDERS": ["acquia_dam"], "UPLOAD_PROVIDER": "acquia_dam", "UPLOAD_RETRY_DELAYS": [1, 1, 1, 1, 1],
        **{name: GENEROUS for name in ("UPLOAD_LIMITS_PER_IP", "UPLOAD_LIMITS_PER_EMAIL")}, **overrides})


def uploaded(acquia):
    """Assets our uploads created in the review folder (their file names carry the upload id)."""
    return [m for m in sandboxes.moderation(acquia) if m["filename"].startswith("ugc-")]


def steps_log(acquia):
    return [(e["method"], e["path"].split("/")[-1] if "finishupload" in e["path"] else e["path"], e["status"])
            for e in sandboxes.requests_log(acquia, "/") if "awss3" in e["path"] or e["path"].startswith("/_s3/")]


class Steps:
    """The Steps port over a dict (what jobs.RecordSteps does over the upload record)."""

    def __init__(self):
        self.values = {}

    def get(self, name, default=None):
        return self.values.get(name, default)

    def set(self, **values):
        for name, value in values.items():
            if value == "":
                self.values.pop(name, None)
            else:
                self.values[name] = str(value)

    def forget_email(self):
        self.values.pop("email", None)


def an_upload(upload_id="u1", content_type="image/jpeg"):
    data = photo()
    return Upload(upload_id, PRODUCT, "My anvil", "Jane", "jane@example.com", content_type, None, None, lambda: data)


def test_an_upload_becomes_one_onhold_asset_in_the_review_folder(acquia, redis_url, ad_catalogue):
    app = app_for(acquia, redis_url)
    upload = submit(app.test_client(), caption="My anvil <b>rocks</b>", name="Jane").get_json()["upload"]
    record = run_worker(app, [upload["id"]])[upload["id"]]
    assert record["status"] == "submitted"
    (asset,) = uploaded(acquia)
    assert asset["id"] == record["media_id"] and asset["status"] == "onhold"
    assert asset["folder"]["id"] == ad_catalogue["review_folder"]["id"]
    assert asset["product"] == PRODUCT and asset["missing"] == ["usageterms"]  # the curator's to fill
    assert "jane@example.com" not in str(asset)
    log = sandboxes.requests_log(acquia, "/")
    generate = next(e for e in log if e["path"] == "/ws/awss3/generateupload")
    put = next(e for e in log if e["path"].startswith("/_s3/"))
    assert generate["query"]["contenttype"] == put["headers"]["Content-Type"] == "image/jpeg"
    assert "Authorization" not in put["headers"]  # the presigned URL gets no bearer
    assert [e["path"] for e in log if "finishupload" in e["path"]] == [f"/ws/awss3/finishupload/{generate_id(log)}"]
    gallery = app.test_client().get(f"/api/v1/products/{PRODUCT}/media", query_string={"limit": 100}).json
    assert f"ad-{asset['id']}" not in [m["id"] for m in gallery["media"]]  # onhold: not shown
    assert "Signature" not in str(app.extensions["redis"].hgetall(f"gallery:upload:{upload['id']}"))


def generate_id(log):
    return [e for e in log if "finishupload" in e["path"]][0]["path"].rsplit("/", 1)[1]


def test_a_content_type_mismatch_is_refused_by_the_presigned_url(make_source, acquia):
    """The signature covers step one's contenttype: a PUT with another is refused (and retried from
    step one by the job, never counted as stashed); the delivery always sends the same one."""
    submissions = make_source().submissions
    data = photo()
    with pytest.raises(Retry, match="SignatureDoesNotMatch"):
        submissions._put(submissions._generate("ugc-x.jpg", "image/jpeg", len(data))[1], data, "image/png")
    steps = Steps()
    asset_id = submissions.deliver(an_upload("png1", "image/png"), steps)
    log = sandboxes.requests_log(acquia, "/")
    generated = [e["query"]["contenttype"] for e in log if e["path"].endswith("generateupload")]
    sent = [e["headers"]["Content-Type"] for e in log if e["path"].startswith("/_s3/")]
    assert generated[-1] == sent[-1] == "image/png" and asset_id == steps.get("asset_id")
    assert [a["filename"] for a in uploaded(acquia)] == ["ugc-png1.png"]


def test_an_expired_process_restarts_from_step_one(make_source, acquia):
    """finishupload fails once (503) after the PUT; five minutes pass on the upstream's clock; the next
    attempt's finishupload is a 404 (the process expired), so it starts again from generateupload."""
    submissions = make_source().submissions
    upload, steps = an_upload("exp1"), Steps()
    sandboxes.fault(acquia, path_prefix="/ws/awss3/finishupload", status=503, count=1)
    with pytest.raises(Retry):
        submissions.deliver(upload, steps)
    assert steps.get("process_id") and steps.get("status") == "stashed" and not steps.get("finishing")
    sandboxes.advance(acquia, 301)
    asset_id = submissions.deliver(upload, steps)
    statuses = [s for _, _, s in steps_log(acquia)]
    assert statuses == [200, 200, 503, 404, 200, 200, 200]  # generate, PUT, finish x2, generate, PUT, finish
    assert [a["id"] for a in uploaded(acquia)] == [asset_id]


def test_an_expired_presigned_url_restarts_from_step_one(make_source, acquia):
    submissions = make_source().submissions
    sandboxes.fault(acquia, path_prefix="/_s3/", status=403, count=1)  # "Request has expired"
    asset_id = submissions.deliver(an_upload("exp2"), Steps())
    assert [(m, s) for m, _, s in steps_log(acquia)] == [
        ("GET", 200), ("PUT", 403), ("GET", 200), ("PUT", 200), ("PUT", 200)]
    assert [a["id"] for a in uploaded(acquia)] == [asset_id]


def test_a_presigned_url_on_another_host_is_never_sent_the_photo(make_source, acquia):
    submissions = make_source(ACQUIA_DAM_UPLOAD_HOSTS="uploads.example.com").submissions
    with pytest.raises(Retry):
        submissions.deliver(an_upload("host1"), Steps())
    assert not sandboxes.requests_log(acquia, "/_s3/") and not uploaded(acquia)


def test_worker_killed_mid_upload_ends_with_exactly_one_asset_in_review(acquia, redis_url):
    """SIGKILL the worker while its finishupload is in flight; Acquia DAM still creates the asset. A
    restarted worker finds the dead job (RQ's maintenance, once its heartbeat lapsed), runs it again,
    and the re-run finds the asset by its file name instead of uploading again."""
    app = app_for(acquia, redis_url, UPLOAD_RETRY_DELAYS=[0, 0])  # see tests/support/workers.py
    sandboxes.fault(acquia, path_prefix="/ws/awss3/finishupload", latency=2, count=1)  # slow once
    upload = submit(app.test_client()).get_json()["upload"]
    workers = Workers(REDIS_URL=redis_url, GALLERY_PROVIDERS="acquia_dam", UPLOAD_PROVIDER="acquia_dam",
                      **sandboxes.credentials(acquia))
    try:
        record = killed_mid_step(workers, app.extensions["redis"], upload["id"], "finishing")
    finally:
        workers.stop()
    assert record["status"] == "submitted"
    (asset,) = uploaded(acquia)
    assert record["media_id"] == asset["id"]
    assert len(sandboxes.requests_log(acquia, "/ws/awss3/generateupload")) == 1


def test_approval_makes_the_asset_appear_at_once_through_the_change_feed(acquia, redis_url):
    """A curator approves (activates it, moves it to the product folder): the notification it records
    invalidates the product's gallery, which shows the asset without waiting for expiry."""
    app = app_for(acquia, redis_url)
    client = app.test_client()
    registry = app.extensions["registry"]
    path = f"/api/v1/products/{PRODUCT}/media"
    feeds.poll(registry)  # the feed's first read: where it starts from
    upload = submit(client).get_json()["upload"]
    asset_id = run_worker(app, [upload["id"]])[upload["id"]]["media_id"]

    def shown():
        return f"ad-{asset_id}" in [m["id"] for m in client.get(path, query_string={"limit": 100}).json["media"]]

    assert not shown()
    requests.post(f"{acquia}/_sandbox/moderation/{asset_id}/approve", timeout=10).raise_for_status()
    assert not shown()  # cached for ACQUIA_DAM_EXPIRE_AFTER (300 s)...
    app.extensions["redis"].delete("gallery:acquia_dam:notifications:poll")  # the next interval
    assert ("acquia_dam", PRODUCT) in feeds.poll(registry)
    assert shown()  # ...unless the change feed says it changed
    medium = client.get(f"/api/v1/media/ad-{asset_id}").json["media"]
    assert medium["provider"] == "acquia_dam" and medium["products"][0]["tag_key"] == PRODUCT
    assert medium["caption"] == "My anvil"  # the shopper's caption, not the file name


def test_the_ws_prefix_is_a_setting(make_source):
    """The document writes generateupload and finishupload with and without /ws: an account answering
    on one only works with ACQUIA_DAM_UPLOAD_PREFIX set to it."""
    with sandboxes.running("acquia_dam", "--upload-prefix", "none") as url:
        with pytest.raises(Retry):  # the default, /ws: not there
            make_source(url).submissions.deliver(an_upload("ws1"), Steps())
        bare = make_source(url, ACQUIA_DAM_UPLOAD_PREFIX=sandboxes.credentials(url)["ACQUIA_DAM_UPLOAD_PREFIX"])
        assert bare.submissions.deliver(an_upload("ws2"), Steps())
        assert [e["path"] for e in sandboxes.requests_log(url, "/awss3/")][-1].startswith("/awss3/finishupload/")

"""Fixtures for the upload and report endpoints: the app against the sandbox, and a real RQ worker."""
import io
import time

import pytest
import redis
from rq import SimpleWorker

from gallery.uploads import jobs
from tests.conftest import SANDBOX_KEY
from tests.conftest import make_app as base_make_app
from tests.support import sandboxes
from tests.support.workers import Workers

from . import corpus

PRODUCT = "acme-anvil-50lb"
GENEROUS = "10000 per minute"  # rate limits out of the way, except where a test sets its own


def make_app(sandbox, redis_url, **overrides):
    """The service with rate limits out of the way and quick delivery retries."""
    return base_make_app(sandbox, redis_url, **{
        "UPLOAD_LIMITS_PER_IP": GENEROUS,
        "UPLOAD_LIMITS_PER_EMAIL": GENEROUS,
        "REPORT_LIMITS_PER_IP": GENEROUS,
        "REPORT_LIMITS_PER_EMAIL": GENEROUS,
        "UPLOAD_RETRY_DELAYS": [1, 1, 1, 1, 1],
        **overrides,
    })


@pytest.fixture
def app(sandbox, redis_url):
    return make_app(sandbox, redis_url)


@pytest.fixture
def client(app):
    return app.test_client()


def photo(**options):
    """A JPEG carrying EXIF GPS (near Sydney) and an orientation."""
    return corpus.jpeg(corpus.two_halves((64, 48)), exif=corpus.exif(orientation=6), **options)


def form(data=None, filename="photo.jpg", **fields):
    values = {"caption": "My anvil", "email": "jane@example.com", "name": "Jane", "consent": "on"}
    values.update(fields)
    values = {k: v for k, v in values.items() if v is not None}
    if data is not False:
        values["file"] = (io.BytesIO(photo() if data is None else data), filename, "image/jpeg")
    return values


def submit(client, data=None, product=PRODUCT, headers=None, **fields):
    return client.post(f"/api/v1/products/{product}/uploads", data=form(data, **fields),
                       content_type="multipart/form-data", headers=headers or {})


def run_worker(app, upload_ids, timeout=60, final=("submitted", "failed")):
    """Run a real RQ worker (in this process, burst mode, with its scheduler for retries) until
    every upload is final (its status in `final`); return their records."""
    r = app.extensions["redis"]
    connection = redis.Redis.from_url(app.config["REDIS_URL"])
    deadline = time.monotonic() + timeout
    with app.app_context():
        while True:
            SimpleWorker([jobs.QUEUE], connection=connection).work(burst=True, with_scheduler=True)
            records = {i: {k.decode(): v.decode() for k, v in r.hgetall(f"gallery:upload:{i}").items()}
                       for i in upload_ids}
            if all(rec.get("status") in final for rec in records.values()):
                return records
            assert time.monotonic() < deadline, f"uploads not delivered: {records}"
            time.sleep(0.2)  # a retry waits out its backoff in the scheduled registry


moderation = sandboxes.moderation


def pending_uploads(sandbox):
    """Media in the moderation queue that came in through the API (the seed has none pending)."""
    return [m for m in moderation(sandbox) if m.get("status") == "pending"]


add_fault = sandboxes.fault


@pytest.fixture
def workers(sandbox, redis_url):
    """Real `python -m gallery.worker` processes (the Procfile's worker) against the sandbox, with quick
    dead-job detection (tests/support/workers.py); `workers.start()`, all stopped at the end."""
    started = Workers(OLAPIC_API_KEY=SANDBOX_KEY, OLAPIC_API_URL=sandbox, REDIS_URL=redis_url, LOG_LEVEL="INFO")
    yield started
    started.stop()


@pytest.fixture
def worker_process(workers):
    """`worker_process(**popen_options)` starts one of `workers`."""
    return workers.start

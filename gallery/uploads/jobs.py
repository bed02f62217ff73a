"""Delivery of an accepted upload to its provider's review state: an RQ job, retried with backoff.

The provider's Submissions (gallery/media/ports.py) does the upstream protocol (Olapic: users,
stashes, media; see gallery/sources/olapic/submissions.py). This job gives it the upload and its
Steps: each step the provider records lands on the upload record at once, so that a re-run (a retry,
or a worker killed mid-job and its job picked up again) resumes there and never duplicates.

A provider whose upstream processes an upload after it was submitted (Submissions.processed,
Mediagraph) gets a follow-up job, `check`: asked at once, then after each UPLOAD_RETRY_DELAYS delay
(RQ's retries) until processing is over; if it failed, the submitted upload becomes failed with the
provider's reason and code. Past the last delay it stays submitted (logged).
"""
import logging

import redis
from flask import current_app

from ..extensions import get_redis, get_registry
from ..media import observe
from ..media.ports import Refused, Upload
from ..media.registry import UnknownProvider
from . import store

log = logging.getLogger(__name__)

QUEUE = "uploads"
JOB_TIMEOUT = 120  # seconds: a few upstream requests, each bounded by the upstream timeouts

UNAVAILABLE = ("The photo service is unavailable and your photo could not be delivered. "
               "Please submit it again later.")
GONE = "The photo service this upload was for is no longer configured. Please submit it again."


# RQ is imported where it is used: a web worker needs it only to enqueue an accepted upload.

def queue(connection):
    from rq import Queue

    return Queue(QUEUE, connection=connection)


def enqueue(queue, upload_id, retry_delays, pipeline=None, job=None):
    """The delivery job (`job`: or its follow-up, `check`)."""
    from rq import Retry as RetryPolicy

    job = job or deliver
    return queue.enqueue_call(
        job, args=(upload_id,), job_id=f"upload-{upload_id}" + ("" if job is deliver else "-check"),
        timeout=JOB_TIMEOUT, retry=RetryPolicy(max=len(retry_delays), interval=retry_delays) if retry_delays else None,
        result_ttl=3600, failure_ttl=7 * 86400, pipeline=pipeline,
    )


class StillProcessing(Exception):
    """The upstream has not finished processing the upload: its check runs again after a delay."""


def check(upload_id):
    """The follow-up RQ job of a submitted upload whose provider processes it afterwards."""
    r = get_redis()
    upload = store.load(r, upload_id)
    if upload is None or upload["status"] != store.SUBMITTED:
        return
    try:
        if get_registry().get(upload["provider"]).submissions.processed(upload["media_id"]):
            return
    except Refused as exc:
        log.warning("upload %s: its processing failed upstream: %s", upload_id, exc)
        observe.upload("failed")
        store.fail(r, upload_id, str(exc), exc.code)
        return
    except Exception as exc:
        _still(upload_id, exc)
        raise
    _still(upload_id, "still processing")
    raise StillProcessing(upload_id)


def _still(upload_id, why):
    from rq import get_current_job

    job = get_current_job()
    if job is None or not job.retries_left:
        log.warning("upload %s: left submitted, its processing not seen over: %s", upload_id, why)


def deliver(upload_id):
    """The RQ job (run inside an app context, see gallery/worker.py)."""
    r = get_redis()
    upload = store.load(r, upload_id)
    if upload is None:
        log.warning("upload %s: record expired before delivery", upload_id)
        return
    if upload["status"] in store.FINAL:
        return
    try:
        _deliver(r, upload_id, upload)
    except Refused as exc:
        log.warning("upload %s: refused upstream: %s", upload_id, exc)
        observe.upload("failed")
        store.fail(r, upload_id, str(exc))
    except Exception as exc:
        from rq import get_current_job

        job = get_current_job()
        if job is None or not job.retries_left:
            log.error("upload %s: giving up: %s", upload_id, exc)
            observe.upload("failed")
            store.fail(r, upload_id, UNAVAILABLE)
        else:
            log.warning("upload %s: will retry: %s", upload_id, exc)
            observe.upload("retrying")
        raise


class RecordSteps:
    """The Steps of one upload, written through to its record (gallery/uploads/store.py)."""

    def __init__(self, r, upload_id, record):
        self._redis, self._id, self._record = r, upload_id, record

    def get(self, name, default=None):
        return self._record.get(name, default)

    def set(self, **values):
        store.update(self._redis, self._id, **{k: str(v) for k, v in values.items()})
        for name, value in values.items():
            if value == "":
                self._record.pop(name, None)
            else:
                self._record[name] = str(value)

    def forget_email(self):
        self.set(email="")


def _deliver(r, upload_id, record):
    try:
        source = get_registry().get(record.get("provider") or get_registry().uploads.name)
    except (UnknownProvider, AttributeError):
        raise Refused(GONE) from None
    upload = Upload(
        id=upload_id, tag_key=record["tag_key"], caption=record["caption"], name=record["name"],
        email=record.get("email", ""), content_type=record["content_type"],
        latitude=record.get("latitude"), longitude=record.get("longitude"),
        read=lambda: store.file_bytes(r, upload_id),
    )
    media_id = source.submissions.deliver(upload, RecordSteps(r, upload_id, record))
    store.submitted(r, upload_id, media_id)
    if media_id and hasattr(source.submissions, "processed"):
        try:
            enqueue(queue(r), upload_id, current_app.config["UPLOAD_RETRY_DELAYS"], job=check)
        except redis.RedisError as exc:  # delivered all the same: never failed, nor delivered again, for it
            log.error("upload %s: delivered, but its processing check was not queued: %s", upload_id, exc)
    observe.upload("submitted")
    log.info("upload %s: submitted to %s as %s", upload_id, source.name, media_id or "(id not seen)")

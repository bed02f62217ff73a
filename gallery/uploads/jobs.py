"""Delivery of an accepted upload to the Olapic moderation queue: an RQ job, retried with backoff.

Steps, each remembered on the upload record so that a re-run (a retry, or a worker killed mid-job and
its job picked up again) redoes none of what is done:
1. the Olapic user for the email: `POST /users` (known emails return their user), cached in Redis
   under a hash of the email; the email then leaves the record;
2. `POST /stashes` with the cleaned bytes -> stash id;
3. `POST /users/{id}/media` with `url=/stashes/{id}`, the caption, the product's `stream_uri` and,
   only when the shopper shared it, latitude and longitude.

Step 3 is the one that must not run twice. A stash is single use, so when a re-run finds its stash
gone (404 Stash) after an earlier attempt whose answer was never seen (timeout, dropped connection,
killed worker), that attempt is what used it: the medium exists. A stash that expired unused (older
than STASH_TTL, or gone with no such attempt) is stashed again.
"""
import logging
import time

import requests
from flask import current_app
from rq import Queue, Retry, get_current_job

from .. import observe
from ..extensions import get_olapic, get_redis, get_source
from ..olapic.client import ServerError
from ..sources.base import NotFound, UpstreamError
from . import store

log = logging.getLogger(__name__)

QUEUE = "uploads"
JOB_TIMEOUT = 120  # seconds: a few upstream requests, each bounded by the upstream timeouts
STASH_TTL = 3600  # seconds an Olapic stash may wait for its medium
USER_TTL = 30 * 86400  # how long the email -> Olapic user mapping is kept

UNAVAILABLE = ("The photo service is unavailable and your photo could not be delivered. "
               "Please submit it again later.")
EXPIRED = "Your photo waited too long to be delivered. Please submit it again."
PRODUCT_GONE = "This product no longer takes photos."


class Refused(Exception):
    """The upstream refused the upload for good: retrying cannot help. The message is for people."""


class Retryable(Exception):
    """The upstream failed in a way that may pass: RQ runs the job again after a delay."""


def queue(connection):
    return Queue(QUEUE, connection=connection)


def enqueue(queue, upload_id, retry_delays, pipeline=None):
    return queue.enqueue_call(
        deliver, args=(upload_id,), job_id=f"upload-{upload_id}", timeout=JOB_TIMEOUT,
        retry=Retry(max=len(retry_delays), interval=retry_delays) if retry_delays else None,
        result_ttl=3600, failure_ttl=7 * 86400, pipeline=pipeline,
    )


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
        observe.count("uploads_failed_total")
        store.fail(r, upload_id, str(exc))
    except Exception as exc:
        job = get_current_job()
        if job is None or not job.retries_left:
            log.error("upload %s: giving up: %s", upload_id, exc)
            observe.count("uploads_failed_total")
            store.fail(r, upload_id, UNAVAILABLE)
        else:
            log.warning("upload %s: will retry: %s", upload_id, exc)
        raise


def _deliver(r, upload_id, upload):
    stream_uri = _stream_uri(upload["tag_key"])
    user_id = upload.get("user_id") or _user(r, upload_id, upload)
    for _ in range(2):  # a second pass only when the stash expired unused
        stash_id = upload.get("stash_id") or _stash(r, upload_id, upload)
        media_id = _submit(r, upload_id, upload, user_id, stash_id, stream_uri)
        if media_id is not False:
            store.submitted(r, upload_id, media_id)
            observe.count("uploads_submitted_total")
            log.info("upload %s: submitted as medium %s", upload_id, media_id or "(id not seen)")
            return
        upload.pop("stash_id", None)
    raise Retryable("the stash expired twice")


def _stream_uri(tag_key):
    try:
        product = get_source().product(tag_key).value
    except NotFound:
        raise Refused(PRODUCT_GONE) from None
    except UpstreamError as exc:
        raise Retryable(str(exc)) from None
    return f"/streams/{product['id']}"


def _post(path, **kwargs):
    """POST to the upstream: its answer, or Retryable when it failed to give one we can use."""
    try:
        return get_olapic().post(path, read_timeout=current_app.config["UPLOAD_READ_TIMEOUT"], **kwargs)
    except requests.RequestException as exc:
        raise Retryable(f"POST {path}: {exc}") from None


def _message(answer):
    data = answer.json.get("data")
    return (data or {}).get("message", "") if isinstance(data, dict) else ""


def _user(r, upload_id, upload):
    email = upload.get("email")
    if not email:  # failed records lose it; a live one always has it until this step is done
        raise Refused(EXPIRED)
    key = f"gallery:olapic-user:{store.digest(email.lower())}"
    cached = r.get(key)
    if cached is not None:
        user_id = cached.decode()
    else:
        answer = _post("/users", data={"email": email, "screen_name": upload["name"]})
        if answer.status != 200:
            raise _refusal(answer, "The photo service refused your email address or screen name")
        user_id = str(answer.json["data"]["id"])
        r.set(key, user_id, ex=USER_TTL)
    store.update(r, upload_id, user_id=user_id, email="")  # the email is no longer needed here
    return user_id


def _stash(r, upload_id, upload):
    data = store.file_bytes(r, upload_id)
    if data is None:
        raise Refused(EXPIRED)
    extension = {"image/png": "png", "image/webp": "webp"}.get(upload["content_type"], "jpg")
    answer = _post("/stashes", files={"file": (f"photo.{extension}", data, upload["content_type"])})
    if answer.status != 200:
        raise _refusal(answer, "The photo service refused your photo")
    stash_id = str(answer.json["data"]["id"])
    store.update(r, upload_id, status=store.STASHED, stash_id=stash_id, stashed_at=int(time.time()), sent="")
    upload.update(status=store.STASHED, stash_id=stash_id, stashed_at=str(int(time.time())))
    upload.pop("sent", None)
    return stash_id


def _submit(r, upload_id, upload, user_id, stash_id, stream_uri):
    """POST the medium: its id ("" when an unseen earlier answer created it), or False to stash again."""
    unseen_attempt = upload.get("sent") == stash_id
    store.update(r, upload_id, sent=stash_id)  # from here, an unseen answer may have used the stash
    form = {"url": f"/stashes/{stash_id}", "caption": upload["caption"], "stream_uri": stream_uri}
    if upload.get("latitude") and upload.get("longitude"):
        form.update(latitude=upload["latitude"], longitude=upload["longitude"])
    try:
        answer = get_olapic().post(f"/users/{user_id}/media", data=form,
                                   read_timeout=current_app.config["UPLOAD_READ_TIMEOUT"])
    except ServerError as exc:  # an answer: the upstream did not take the stash
        store.update(r, upload_id, sent="")
        raise Retryable(f"POST media: {exc}") from None
    except requests.RequestException as exc:  # no answer: "sent" stays, see the module docstring
        raise Retryable(f"POST media: {exc}") from None
    if answer.status == 200:
        return str(answer.json["data"]["id"])
    store.update(r, upload_id, sent="")
    message = _message(answer)
    if answer.status == 404 and "Stash" in message:
        stash_age = time.time() - int(upload.get("stashed_at") or 0)
        if unseen_attempt and stash_age < STASH_TTL:
            log.info("upload %s: stash %s was used by an earlier attempt whose answer was lost", upload_id, stash_id)
            return ""
        log.info("upload %s: stash %s expired unused: stashing again", upload_id, stash_id)
        store.update(r, upload_id, stash_id="", status=store.QUEUED)
        return False
    raise _refusal(answer, "The photo service refused your photo")


def _refusal(answer, what):
    """A 4xx answer as Refused (our input was wrong), anything else as Retryable."""
    message = _message(answer)
    if 400 <= answer.status < 500 and answer.status not in (401, 403, 408, 429):
        return Refused(f"{what}: {message}" if message else f"{what}.")
    return Retryable(f"upstream answered {answer.status}: {message}")

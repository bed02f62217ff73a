"""Upload records and their cleaned bytes in Redis, each with a TTL.

    gallery:upload:<id>         hash: status, reason (and code), provider, tag_key, caption, name, share_location,
                                latitude, longitude, content_type, created, and the delivery steps the
                                provider recorded so far (Olapic: user_id, stash_id, stashed_at, sent);
                                email until the provider no longer needs it
    gallery:upload:<id>:file    the cleaned image, deleted once submitted
    gallery:upload-key:<hash>   the upload id of an idempotency key (hashed with the product and email)

Status: queued -> (a provider's own intermediate step, e.g. Olapic's stashed) -> submitted, or failed
with a `reason` for people.
"""
import hashlib
import re
import secrets
import time

import redis

QUEUED, STASHED, SUBMITTED, FAILED = "queued", "stashed", "submitted", "failed"
FINAL = (SUBMITTED, FAILED)
UPLOAD_ID = re.compile(r"[A-Za-z0-9_-]{22}")  # secrets.token_urlsafe(16)


def _record(upload_id):
    return f"gallery:upload:{upload_id}"


def _file(upload_id):
    return f"gallery:upload:{upload_id}:file"


def digest(*parts):
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def create(r, *, idempotency, fields, image, provider, tag_key, ttl, enqueue):
    """Store a new upload and call enqueue(upload_id, pipeline) in the same transaction; return its id.

    When `idempotency` (a digest) already names an upload, nothing is written and that upload's id is
    returned instead, so that a retried or doubled submission never makes a second one.
    """
    key = f"gallery:upload-key:{idempotency}"
    upload_id = secrets.token_urlsafe(16)
    record = {
        "status": QUEUED, "provider": provider, "tag_key": tag_key, "caption": fields["caption"], "name": fields["name"],
        "email": fields["email"], "share_location": int(fields["share_location"]),
        "content_type": image.content_type, "created": int(time.time()),
    }
    if fields["share_location"] and image.gps:
        record["latitude"], record["longitude"] = image.gps
    with r.pipeline() as pipe:
        try:
            pipe.watch(key)
            existing = pipe.get(key)
            if existing is not None:
                return existing.decode()
            pipe.multi()
            pipe.hset(_record(upload_id), mapping=record)
            pipe.expire(_record(upload_id), ttl)
            pipe.set(_file(upload_id), image.data, ex=ttl)
            pipe.set(key, upload_id, ex=ttl)
            enqueue(upload_id, pipe)
            pipe.execute()
        except redis.WatchError:  # the same submission, a moment earlier in another request
            return r.get(key).decode()
    return upload_id


def replicated(r, upload_id, ttl, replicas, timeout):
    """Whether `replicas` replicas hold the upload, waiting up to half of `timeout` (the client's
    socket timeout) s: WAIT counts the replicas that have a connection's last write, so it follows a
    write of the record on the same connection."""
    with r.pipeline(transaction=False) as pipe:
        pipe.expire(_record(upload_id), ttl)
        pipe.wait(replicas, int(timeout * 500))
        return pipe.execute()[-1] >= replicas


def load(r, upload_id):
    """The record as a dict of str, or None when unknown or expired."""
    data = r.hgetall(_record(upload_id))
    return {k.decode(): v.decode() for k, v in data.items()} or None


def submitted_uploads(r):
    """(id, record) of each upload delivered to its provider and not expired (an operator's scan)."""
    for key in r.scan_iter(match=_record("*"), count=1000):
        upload_id = key.decode().removeprefix(_record(""))
        if UPLOAD_ID.fullmatch(upload_id):  # not a :file
            record = load(r, upload_id)
            if record and record.get("status") == SUBMITTED and record.get("media_id"):
                yield upload_id, record


def file_bytes(r, upload_id):
    return r.get(_file(upload_id))


def update(r, upload_id, **values):
    """Set fields of an existing record (an empty string deletes one)."""
    key = _record(upload_id)
    with r.pipeline() as pipe:
        for name, value in values.items():
            if value == "":
                pipe.hdel(key, name)
            else:
                pipe.hset(key, name, value)
        pipe.execute()


def submitted(r, upload_id, media_id):
    with r.pipeline() as pipe:
        pipe.hset(_record(upload_id), mapping={"status": SUBMITTED, "media_id": media_id or ""})
        pipe.hdel(_record(upload_id), "sent")
        pipe.delete(_file(upload_id))
        pipe.execute()


def fail(r, upload_id, reason, code=None):
    """`code`: the provider's, for machines (e.g. "processing_error"), kept on the record."""
    with r.pipeline() as pipe:
        pipe.hset(_record(upload_id), mapping={"status": FAILED, "reason": reason, **({"code": code} if code else {})})
        pipe.hdel(_record(upload_id), "email")
        pipe.delete(_file(upload_id))
        pipe.execute()


def public(upload_id, record, status_url):
    """What a client may see of an upload: never the email, the caption or upstream ids."""
    shown = {"id": upload_id, "status": record["status"], "status_url": status_url}
    if record["status"] == FAILED:
        shown["reason"] = record.get("reason", "")
    return shown

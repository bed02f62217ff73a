"""Olapic submissions: shoppers' uploads into the moderation queue, and reports on media.

An upload's steps, each recorded (Steps) so that a re-run (a retry, or a worker killed mid-job and
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
import hashlib
import logging
import time

from ...media.models import NotFound, UpstreamError, is_id
from ...media.ports import Refused, Retry

log = logging.getLogger(__name__)

STASH_TTL = 3600  # seconds an Olapic stash may wait for its medium
USER_TTL = 30 * 86400  # how long the email -> Olapic user mapping is kept

EXPIRED = "Your photo waited too long to be delivered. Please submit it again."
PRODUCT_GONE = "This product no longer takes photos."


class OlapicSubmissions:
    def __init__(self, client, catalogue, redis_client, read_timeout=30.0):
        self._client, self._catalogue, self._redis = client, catalogue, redis_client
        self._read_timeout = read_timeout  # the upstream reads a whole photo

    # Uploads ---------------------------------------------------------------------------------

    def deliver(self, upload, steps):
        stream_uri = self._stream_uri(upload.tag_key)
        user_id = steps.get("user_id") or self._user(upload, steps)
        for _ in range(2):  # a second pass only when the stash expired unused
            stash_id = steps.get("stash_id") or self._stash(upload, steps)
            media_id = self._submit(upload, steps, user_id, stash_id, stream_uri)
            if media_id is not False:
                return media_id
        raise Retry("the stash expired twice")

    def _stream_uri(self, tag_key):
        try:
            product = self._catalogue.product(tag_key).value
        except NotFound:
            raise Refused(PRODUCT_GONE) from None
        except UpstreamError as exc:
            raise Retry(str(exc)) from None
        return f"/streams/{product['id']}"

    def _post(self, path, **kwargs):
        """POST to the upstream: its answer, or Retry when it failed to give one we can use."""
        try:
            return self._client.post(path, read_timeout=self._read_timeout, **kwargs)
        except UpstreamError as exc:
            raise Retry(f"POST {path}: {exc}") from None

    def _user(self, upload, steps):
        if not upload.email:  # failed records lose it; a live one always has it until this step is done
            raise Refused(EXPIRED)
        key = f"gallery:olapic-user:{hashlib.sha256(upload.email.lower().encode()).hexdigest()}"
        cached = self._redis.get(key)
        if cached is not None:
            user_id = cached.decode()
        else:
            answer = self._post("/users", data={"email": upload.email, "screen_name": upload.name})
            if answer.status != 200:
                raise _refusal(answer, "The photo service refused your email address or screen name")
            user_id = str(answer.json["data"]["id"])
            self._redis.set(key, user_id, ex=USER_TTL)
        steps.set(user_id=user_id)
        steps.forget_email()  # no longer needed here
        return user_id

    def _stash(self, upload, steps):
        data = upload.read()
        if data is None:
            raise Refused(EXPIRED)
        extension = {"image/png": "png", "image/webp": "webp"}.get(upload.content_type, "jpg")
        answer = self._post("/stashes", files={"file": (f"photo.{extension}", data, upload.content_type)})
        if answer.status != 200:
            raise _refusal(answer, "The photo service refused your photo")
        stash_id = str(answer.json["data"]["id"])
        steps.set(status="stashed", stash_id=stash_id, stashed_at=str(int(time.time())), sent="")
        return stash_id

    def _submit(self, upload, steps, user_id, stash_id, stream_uri):
        """POST the medium: its id ("" when an unseen earlier answer created it), or False to stash again."""
        unseen_attempt = steps.get("sent") == stash_id
        steps.set(sent=stash_id)  # from here, an unseen answer may have used the stash
        form = {"url": f"/stashes/{stash_id}", "caption": upload.caption, "stream_uri": stream_uri}
        if upload.latitude and upload.longitude:
            form.update(latitude=upload.latitude, longitude=upload.longitude)
        try:
            answer = self._client.post(f"/users/{user_id}/media", data=form, read_timeout=self._read_timeout)
        except UpstreamError as exc:
            if exc.answered:  # an answer: the upstream did not take the stash
                steps.set(sent="")
            # else no answer: "sent" stays, see the module docstring
            raise Retry(f"POST media: {exc}") from None
        if answer.status == 200:
            return str(answer.json["data"]["id"])
        steps.set(sent="")
        message = _message(answer)
        if answer.status == 404 and "Stash" in message:
            stash_age = time.time() - int(steps.get("stashed_at") or 0)
            if unseen_attempt and stash_age < STASH_TTL:
                log.info("upload %s: stash %s was used by an earlier attempt whose answer was lost", upload.id, stash_id)
                return ""
            log.info("upload %s: stash %s expired unused: stashing again", upload.id, stash_id)
            steps.set(stash_id="", status="queued")
            return False
        raise _refusal(answer, "The photo service refused your photo")

    # Reports ---------------------------------------------------------------------------------

    def report(self, media_id, fields):
        if not is_id(str(media_id)):  # the id becomes one upstream path segment, never more
            raise NotFound(f"no medium {media_id!r}")
        answer = self._client.post(f"/media/{media_id}/reports", data=fields)
        if answer.status == 404:
            raise NotFound(f"no medium {media_id!r}")
        if answer.status not in (200, 201):
            raise UpstreamError("bad_response", f"report answered {answer.status}")


def _message(answer):
    data = answer.json.get("data")
    return (data or {}).get("message", "") if isinstance(data, dict) else ""


def _refusal(answer, what):
    """A 4xx answer as Refused (our input was wrong), anything else as Retry."""
    message = _message(answer)
    if 400 <= answer.status < 500 and answer.status not in (401, 403, 408, 429):
        return Refused(f"{what}: {message}" if message else f"{what}.")
    return Retry(f"upstream answered {answer.status}: {message}")

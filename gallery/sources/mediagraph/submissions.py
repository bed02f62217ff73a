"""Mediagraph submissions: shoppers' uploads into a contribution ("upload link") whose reviewers
approve them into the product's collection. Our galleries show only a product collection's submitted
assets, so nothing unreviewed appears; an approval (a webhook tells us) makes it appear.

The contribution flow, each step recorded on the upload (Steps) before and after its call, so a
retry or a re-run after a killed worker resumes and never leaves two assets in review:
1. the upload session: `POST /api/contributions/:id/uploads` (name: the tag key; note: for reviewers)
   -> session_id, session_guid;
2. the asset: `POST /api/uploads/:guid/assets` (created_via_id: our upload id) -> asset_id,
   asset_guid and a signed_upload_url, valid one hour, that is only ever held in memory: it carries
   the storage credential (X-Amz-Credential), which never reaches Redis or a log;
3. `PUT` the bytes to that URL (status "stashed");
4. its caption and screen name (`PUT /api/assets/:id`), then `set_uploaded` (processing starts);
5. `set_done` on the session: the asset is submitted, and waits for a reviewer.
A 422 is not taken at its word where a lost answer or a closed session could explain it: a prepare
refused with 422 starts a new session only if the session really is gone (its assets' listing is 404),
else it is a refusal; a set_done refused with 422 (the session is done: our first call may have been
applied and its answer lost) is a success when the asset is in fact submitted.
The signed URL is PUT only if its host is allowed (MEDIAGRAPH_UPLOAD_HOSTS): the shopper's bytes never
go wherever an answer names.
Mediagraph processes the asset after set_uploaded, in the background: `processed` is the delivery
job's follow-up (gallery/uploads/jobs.py `check`), and an asset whose processing ends in
`processing_error` fails the upload (code "processing_error").
An asset whose URL is gone (a new attempt: it was never stored in Redis) or expired (S3's 403
"Request has expired") restarts step 2: the byte-less asset is moved to the trash first, so exactly
one asset of the upload is ever in review. When the answer to step 2 was lost, the session's
assets (all ours: one session per upload) are trashed the same way. (A prepare still in flight
when the retry looks may land later: its asset stays `pending`, with no bytes, and never reaches
review, since set_done submits only uploaded assets.)
"""
import logging

import requests

from ...media import observe
from ...media.models import NotFound, UpstreamError
from ...upstream import hosts
from ...upstream.errors import failure
from ...media.ports import Refused, Retry

log = logging.getLogger(__name__)

EXPIRED = "Your photo waited too long to be delivered. Please submit it again."
PRODUCT_GONE = "This product no longer takes photos."
REFUSED = "The photo service refused your photo."
PROCESSING_FAILED = "The photo service could not process your photo. Please submit another one."
NOTE_CHARS = 500
MAX_PREPARES = 3  # per attempt: signed URLs that expired or were refused before the bytes got through
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif"}


class MediagraphSubmissions:
    def __init__(self, client, catalogue, contribution_id, connect_timeout=1.0, read_timeout=30.0,
                 report_comments=False, upload_hosts=()):
        self._client, self._catalogue, self._contribution = client, catalogue, contribution_id
        self._upload_hosts = tuple(upload_hosts)  # host[:port], or "*.example.com" for its subdomains
        self._timeout = (connect_timeout, read_timeout)
        self._report_comments = report_comments
        self._storage = requests.Session()  # the signed URL is its own credential: no API transport
        self._storage.trust_env = False

    # Uploads ---------------------------------------------------------------------------------

    def deliver(self, upload, steps):
        if steps.get("done"):
            return steps.get("asset_id") or ""
        try:
            self._catalogue.product(upload.tag_key)
        except NotFound:
            raise Refused(PRODUCT_GONE) from None
        except UpstreamError as exc:
            raise Retry(str(exc)) from None
        steps.forget_email()  # Mediagraph never gets the email
        guid = steps.get("session_guid") or self._session(upload, steps)
        if not steps.get("stored"):
            self._store(upload, steps, guid)
        asset_id, asset_guid = steps.get("asset_id"), steps.get("asset_guid")
        if not steps.get("uploaded"):
            if upload.caption or upload.name:
                self._call("PUT", f"/api/assets/{asset_id}", {"asset": {
                    "description": upload.caption or None, "credit_line": upload.name or None}})
            self._call("GET", f"/api/assets/{asset_guid}/set_uploaded")  # the method Mediagraph's client uses
            steps.set(uploaded="1")
        answer = self._call("PUT", f"/api/uploads/{steps.get('session_id')}/set_done", accept=(422,))
        if answer.status == 422 and not self._submitted(asset_id):
            raise Refused(f"{REFUSED} (422)")
        steps.set(done="1")
        return asset_id

    def _submitted(self, asset_id):
        """Whether Mediagraph has the asset submitted (a set_done applied, whatever answered it)."""
        answer = self._call("GET", f"/api/assets/{asset_id}")
        return isinstance(answer.json, dict) and answer.json.get("submitted") is True

    def processed(self, media_id):
        """Whether Mediagraph is done processing the asset (a trashed one, e.g. rejected, is done too);
        Refused when its processing failed."""
        answer = self._call("GET", f"/api/assets/{media_id}", accept=(404,))
        state = answer.json.get("aasm_state") if answer.status == 200 and isinstance(answer.json, dict) else None
        if state == "processing_error":
            raise Refused(PROCESSING_FAILED, "processing_error")
        return answer.status == 404 or state == "processed"

    def _session(self, upload, steps):
        note = f"Shopper photo for product {upload.tag_key}"
        if upload.name:
            note += f", by {upload.name}"
        if upload.caption:
            note += f": {upload.caption}"
        answer = self._call("POST", f"/api/contributions/{self._contribution}/uploads",
                            {"upload": {"name": upload.tag_key, "note": note[:NOTE_CHARS]}})
        session_id, guid = _text(answer.json.get("id")), _text(answer.json.get("guid"))
        if not session_id or not guid:
            raise Retry("Mediagraph answered an upload session without id or guid")
        steps.set(session_id=session_id, session_guid=guid)
        return guid

    def _store(self, upload, steps, guid):
        """Steps 2 and 3: an asset with a fresh signed URL, and its bytes PUT there."""
        data = upload.read()
        if data is None:
            raise Refused(EXPIRED)
        for _ in range(MAX_PREPARES):
            self._trash_unstored(steps, guid)
            url = self._prepare(upload, steps, guid, len(data))
            if not hosts.allowed(url, self._upload_hosts):  # never just anywhere
                host = hosts.host(url)
                observe.count("mediagraph_upload_host_refused_total")
                log.error("upload %s: the signed upload URL is on %s, not in MEDIAGRAPH_UPLOAD_HOSTS: not sent",
                          upload.id, host)
                raise Retry(f"the signed upload URL is on {host}, not in MEDIAGRAPH_UPLOAD_HOSTS")
            try:
                response = self._storage.put(url, data=data, timeout=self._timeout, allow_redirects=False,
                                             headers={"Content-Type": upload.content_type})
            except requests.RequestException as exc:  # the URL is in its text: never log it
                raise Retry(f"storing the photo: {failure(exc)}") from None
            if response.status_code in (200, 201, 204):
                steps.set(stored="1", status="stashed")
                return
            if response.status_code == 403:  # expired (or refused) signature: a new URL, from step 2
                observe.count("mediagraph_upload_url_restarts_total")
                log.info("upload %s: the signed upload URL was refused (%s), preparing the asset again",
                         upload.id, "expired" if b"expired" in response.content.lower() else "403")
                continue
            raise Retry(f"storing the photo: the storage answered {response.status_code}")
        raise Retry("the signed upload URL was refused every time")

    def _prepare(self, upload, steps, guid, size):
        steps.set(preparing="1")  # from here an unseen answer may have made the asset
        extension = EXTENSIONS.get(upload.content_type, "jpg")
        answer = self._call("POST", f"/api/uploads/{guid}/assets", {"asset": {
            "filename": f"shopper-{upload.id}.{extension}", "file_size": size,
            "created_via": "api", "created_via_id": upload.id}}, accept=(404, 422))
        if answer.status == 422 and not self._session_gone(guid):
            raise Refused(f"{REFUSED} (422)")
        if answer.status != 200:  # the session is gone: a new one
            steps.set(session_id="", session_guid="", preparing="")
            raise Retry(f"preparing the asset: the upload session is gone ({answer.status})")
        asset_id, asset_guid = _text(answer.json.get("id")), _text(answer.json.get("guid"))
        url = answer.json.get("signed_upload_url")
        if not asset_id or not asset_guid or not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise Retry("Mediagraph answered an asset without id, guid or signed_upload_url")
        steps.set(asset_id=asset_id, asset_guid=asset_guid, preparing="")
        return url

    def _trash_unstored(self, steps, guid):
        """Move to the trash the asset(s) an earlier attempt prepared but whose bytes are not known to be stored."""
        if steps.get("asset_id"):
            doomed = [steps.get("asset_id")]
        elif steps.get("preparing"):  # the answer was lost: the session's assets are all ours
            answer = self._call("GET", f"/api/uploads/{guid}/assets", params={"per_page": 100})
            listed = answer.json if isinstance(answer.json, list) else []
            doomed = [_text(a.get("id")) for a in listed if isinstance(a, dict)]
        else:
            return
        for asset_id in filter(None, doomed):
            self._call("DELETE", f"/api/assets/{asset_id}", accept=(404,))
            log.info("upload: asset %s of an earlier attempt moved to the trash", asset_id)
        steps.set(asset_id="", asset_guid="", preparing="")

    def _session_gone(self, guid):
        """Whether Mediagraph no longer knows the upload session (asked, not guessed from a 422)."""
        return self._call("GET", f"/api/uploads/{guid}/assets", params={"per_page": 1}, accept=(404,)).status == 404

    def _call(self, method, path, body=None, params=None, accept=()):
        """One API write, straight through; Retry when it may pass, Refused when it cannot. The
        statuses in `accept` are answered for the caller to judge."""
        try:
            answer = self._client.write(method, path, params=params, json=body)
        except UpstreamError as exc:
            raise Retry(f"{method} {path}: {exc}") from None
        if answer.status == 200 or answer.status in accept:
            return answer
        if answer.status in (400, 413, 415, 422):
            raise Refused(f"{REFUSED} ({answer.status})")
        raise Retry(f"{method} {path} answered {answer.status}")

    # Reports ---------------------------------------------------------------------------------

    def report(self, media_id, fields):
        """Mediagraph has no report endpoint: the medium is hidden here (HidingReported), the report is
        logged and counted, and (MEDIAGRAPH_REPORT_COMMENTS) commented on its product collection."""
        try:
            products = self._catalogue.medium(media_id).value["products"]  # NotFound: nothing of ours
        except UpstreamError as exc:  # hidden all the same; only the comment needs the medium
            log.warning("mediagraph: asset %s could not be read for its report: %s", media_id, exc)
            products = []
        observe.count("mediagraph_reports_total")
        log.warning("mediagraph: a shopper reported asset %s (hidden here; Mediagraph has no report endpoint)",
                    media_id)
        if not self._report_comments:
            return
        for product in products[:1]:
            text = f"A shopper reported asset {media_id} in the gallery: {fields.get('reason') or '(no reason)'}"
            try:
                answer = self._client.write("POST", "/api/comments", params={"type": "Collection", "id": product["id"]},
                                            json={"comment": {"text": text[:1000]}})
            except UpstreamError as exc:
                log.warning("mediagraph: the report on asset %s could not be commented: %s", media_id, exc)
                continue
            if answer.status != 200:
                log.warning("mediagraph: commenting the report on asset %s answered %s", media_id, answer.status)

    def close(self):
        self._storage.close()


def _text(value):
    text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    return text or None


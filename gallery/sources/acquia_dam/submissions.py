"""Acquia DAM submissions: shoppers' uploads into the configured review folder ("Upload an asset
(optimized)"), where they wait "onhold" (the folder's metadata template requires a field) or inactive
until a curator activates them and moves them to the product's folder. Our galleries only list active
assets of product folders, so nothing unreviewed can appear.

The three steps, each recorded on the upload record (Steps) so that a retry, or a re-run after a
killed worker, resumes and never duplicates:
1. `GET {prefix}/awss3/generateupload?filesize&folderid&filename&contenttype` -> a presigned URL
   (valid 5 minutes; it carries a storage signature, so it is never recorded) and a processId;
2. `PUT <presigned URL>` with the same Content-Type (the signature covers it); then process_id,
   put_at and status "stashed" are recorded;
3. `PUT {prefix}/awss3/finishupload/:processid` -> {"id"}: the asset exists. `finishing` is recorded
   before it: an answer lost after the asset was created is found on the next run by our filename
   (the upload id) in the review folder, instead of being created twice.
A presigned URL or process that expired (a 403 on the PUT, a 404 on finishupload, or a PUT older
than the process's life) restarts from step one. Then the asset's metadata names the product (XMP
`customfield1` by default, which curators move it by) and carries the caption.
"""
import hashlib
import logging
import re
import time
from urllib.parse import urlsplit, urlunsplit

import requests

from ...media import observe
from ...media.models import NotFound, UpstreamError
from ...upstream import hosts
from ...upstream.errors import failure
from ...media.ports import Refused, Retry
from . import normalize

log = logging.getLogger(__name__)

PROCESS_LIFE = 300  # "valid for 5 minutes"
PUT_MARGIN = 30  # a PUT older than PROCESS_LIFE - PUT_MARGIN is not finished: step one again
FIND_PAGES = 3  # review folder pages searched for an asset an earlier attempt created
EXPIRED = "Your photo waited too long to be delivered. Please submit it again."
PRODUCT_GONE = "This product no longer takes photos."
NOT_TAKEN = "This photo service takes no photos."
_SAFE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif"}


def filename(upload):
    """Our upload id as the asset's file name: how a later attempt recognises the asset."""
    ref = upload.id if _SAFE.match(upload.id) else hashlib.sha256(upload.id.encode()).hexdigest()[:32]
    return f"ugc-{ref}.{_EXTENSIONS.get(upload.content_type, 'jpg')}"


class AcquiaDamSubmissions:
    def __init__(self, client, catalogue, review_folder, prefix="/ws", upload_hosts=(), product_field="customfield1",
                 upgrade_http=True, read_timeout=30.0, put_timeout=(1.0, 30.0)):
        self._client, self._catalogue, self._review = client, catalogue, str(review_folder or "")
        self._prefix, self._hosts, self._field = prefix, list(upload_hosts), product_field
        self._upgrade, self._read_timeout, self._put_timeout = upgrade_http, read_timeout, put_timeout
        self._http = requests.Session()  # the presigned URL is not the API: no credential goes there
        self._http.trust_env = False

    def deliver(self, upload, steps):
        if not self._review:
            raise Refused(NOT_TAKEN)
        steps.forget_email()  # Acquia DAM never gets the email
        asset_id = steps.get("asset_id")
        if not asset_id:
            try:
                self._catalogue.product(upload.tag_key)
            except NotFound:
                raise Refused(PRODUCT_GONE) from None
            except UpstreamError as exc:
                raise Retry(str(exc)) from None
            if steps.get("finishing"):  # an earlier finishupload may have created it
                asset_id = self._find(filename(upload))
                if asset_id:
                    log.info("upload %s: asset %s was created by an earlier attempt", upload.id, asset_id)
                    steps.set(asset_id=asset_id, finishing="", process_id="", put_at="")
        if not asset_id:
            asset_id = self._upload(upload, steps)
        if not steps.get("described"):
            self._describe(asset_id, upload)
            steps.set(described="1")
        return asset_id

    def report(self, media_id, fields):
        """The API has no report endpoint: the medium is hidden here (HidingReported), logged and counted."""
        self._catalogue.medium(media_id)  # NotFound for what we do not serve
        observe.count("reports_logged_total")
        log.info("acquia_dam: report on asset %s (no upstream report endpoint: hidden here)", media_id)

    def close(self):
        self._http.close()

    # The three steps ---------------------------------------------------------------------------

    def _upload(self, upload, steps):
        name = filename(upload)
        for _ in range(2):  # an expired presigned URL or process restarts from step one, once per run
            process_id = steps.get("process_id")
            if not process_id or time.time() - float(steps.get("put_at") or 0) > PROCESS_LIFE - PUT_MARGIN:
                data = upload.read()
                if data is None:
                    raise Refused(EXPIRED)
                process_id = self._stash(name, upload.content_type, data)
                if process_id is None:
                    continue
                steps.set(process_id=process_id, put_at=str(int(time.time())), status="stashed")
            steps.set(finishing="1")  # from here an unseen answer may have created the asset
            try:
                answer = self._client.write("PUT", f"{self._prefix}/awss3/finishupload/{process_id}",
                                            read_timeout=self._read_timeout)
            except UpstreamError as exc:
                if exc.answered:
                    steps.set(finishing="")
                raise Retry(f"finishupload: {exc}") from None
            if answer.status in (200, 201):
                asset_id = normalize.asset_id((answer.json or {}).get("id") if isinstance(answer.json, dict) else None)
                if asset_id is None:
                    raise Retry("finishupload answered no asset id")  # `finishing` stays: found next time
                steps.set(asset_id=asset_id, finishing="", process_id="", put_at="")
                return asset_id
            steps.set(finishing="")
            if answer.status == 404:  # the process expired (or is unknown): step one again
                log.info("upload %s: upload process expired, restarting from generateupload", upload.id)
                steps.set(process_id="", put_at="")
                continue
            raise self._refusal("finishupload", answer.status)
        raise Retry("the presigned upload expired twice in a row")

    def _stash(self, name, content_type, data):
        """Steps one and two: the process id, or None when the presigned URL had expired."""
        process_id, url = self._generate(name, content_type, len(data))
        return process_id if self._put(url, data, content_type) else None

    def _generate(self, name, content_type, size):
        """Step one: (process id, presigned URL)."""
        params = {"filesize": size, "folderid": self._review, "filename": name, "contenttype": content_type}
        try:
            answer = self._client.write("GET", f"{self._prefix}/awss3/generateupload", params=params)
        except UpstreamError as exc:
            raise Retry(f"generateupload: {exc}") from None
        if answer.status != 200:
            raise self._refusal("generateupload", answer.status)
        body = answer.json if isinstance(answer.json, dict) else {}
        process_id, url = normalize.asset_id(body.get("processId")), self._presigned(body.get("presignedUrl"))
        if process_id is None or url is None:
            raise Retry("generateupload answered no usable presignedUrl and processId")
        return process_id, url

    def _put(self, url, data, content_type):
        """Step two: True once stored, False when the presigned URL expired (step one again)."""
        try:  # "A content type header matching the contenttype from Step 1 MUST be provided"
            put = self._http.put(url, data=data, headers={"Content-Type": content_type},
                                 timeout=self._put_timeout, allow_redirects=False)
        except requests.RequestException as exc:
            raise Retry(f"presigned PUT: {failure(exc)}") from None
        if put.status_code in (200, 201, 204):
            return True
        code = _s3_code(put.content)
        if put.status_code == 403 and code != "SignatureDoesNotMatch":
            log.info("presigned upload URL refused (%s): restarting from generateupload", code or "403")
            return False
        raise Retry(f"presigned PUT answered {put.status_code} {code}".rstrip())

    def _presigned(self, value):
        """The presigned URL, when it points at a configured upload host (never anywhere else)."""
        if not isinstance(value, str):
            return None
        if not hosts.allowed(value, self._hosts):
            log.warning("acquia_dam: presigned upload URL on %s, not in ACQUIA_DAM_UPLOAD_HOSTS: not sent",
                        hosts.host(value))
            return None
        parts = urlsplit(value)
        scheme = "https" if self._upgrade else parts.scheme
        return urlunsplit((scheme, parts.netloc, parts.path, parts.query, ""))

    def _find(self, name):
        """The review folder's asset an earlier attempt created under `name`, or None."""
        for page in range(FIND_PAGES):
            params = {"sortby": "datecreated", "sortdir": "desc", "limit": 100, "offset": page * 100}
            try:
                answer = self._client.get_uncached(f"/folders/{self._review}/assets", params)
            except UpstreamError as exc:
                raise Retry(f"looking for an earlier delivery: {exc}") from None
            if answer.status != 200:
                raise Retry(f"looking for an earlier delivery: Acquia DAM answered {answer.status}")
            items = [a for a in (answer.json or {}).get("items") or [] if isinstance(a, dict)]
            for asset in items:
                if name in (asset.get("filename"), asset.get("name")):
                    return normalize.asset_id(asset.get("id"))
            if len(items) < 100:
                return None
        return None

    def _describe(self, asset_id, upload):
        """The product's tag key (and the caption, the shopper's name) in the asset's XMP, for the
        curator, and the caption as its description (what a gallery shows); no notifications."""
        xmp = {self._field: upload.tag_key, "sendNotificationsOff": "1"}
        if upload.caption:
            xmp["caption"] = upload.caption
        if upload.name:
            xmp["byline"] = upload.name
        edits = [(f"/assets/{asset_id}/metadatas/xmp", xmp)]
        if upload.caption:
            edits.append((f"/assets/{asset_id}", {"description": upload.caption, "sendNotificationsOff": "1"}))
        for path, body in edits:
            try:
                answer = self._client.write("PUT", path, json=body)
            except UpstreamError as exc:
                raise Retry(f"describing asset {asset_id}: {exc}") from None
            if answer.status >= 400:  # e.g. a field this account lacks: the asset is delivered all the same
                log.warning("acquia_dam: asset %s delivered, but an edit of it was refused (%s)", asset_id,
                            answer.status)

    @staticmethod
    def _refusal(step, status):
        if 400 <= status < 500 and status not in (401, 404, 408, 409, 429):
            return Refused(f"The photo service refused your photo ({status}).")
        return Retry(f"{step} answered {status}")


def _s3_code(content):
    found = re.search(rb"<Code>([A-Za-z]{1,64})</Code>", content or b"")
    return found.group(1).decode() if found else ""

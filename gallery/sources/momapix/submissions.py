"""MomaPIX submissions: shoppers' uploads into the archive's private section, where a curator
publishes them and adds them to the product's lightbox. Our galleries only read lightboxes of
published items, so nothing unreviewed can appear.

One upstream write, `POST /rest/item` (multipart `userfile`, `section=private`, the caption, the
screen name, the product's tag key and our upload id in server-defined fields). It must never run
twice, yet a worker may die, or the answer be lost, after MomaPIX stored the item. So before a
second POST the delivery looks for the item by our upload id (an MQL search of the reference field:
a logged-in session sees private items): found, it is the one; not found, the POST is due again.
"""
import hashlib
import logging
import re

from ...media.models import NotFound, UpstreamError
from ...media.ports import Refused, Retry
from . import normalize

log = logging.getLogger(__name__)

EXPIRED = "Your photo waited too long to be delivered. Please submit it again."
PRODUCT_GONE = "This product no longer takes photos."
TITLE_CHARS = 120
_SAFE = re.compile(r"^[A-Za-z0-9]{1,64}$")


def reference(upload_id):
    """Our upload id as one MQL keyword: itself when it is alphanumeric, else a digest of it."""
    return upload_id if _SAFE.match(upload_id) else "g" + hashlib.sha256(upload_id.encode()).hexdigest()[:31]


class MomapixSubmissions:
    def __init__(self, client, catalogue, fields, read_timeout=30.0):
        """`fields`: the installation's names of the server fields {"reference", "product", "byline"}."""
        self._client, self._catalogue, self._fields = client, catalogue, fields
        self._read_timeout = read_timeout

    def deliver(self, upload, steps):
        item_id = steps.get("item_id")
        if item_id:
            return item_id
        try:
            self._catalogue.product(upload.tag_key)
        except NotFound:
            raise Refused(PRODUCT_GONE) from None
        except UpstreamError as exc:
            raise Retry(str(exc)) from None
        ref = reference(upload.id)
        if steps.get("posted"):  # an earlier attempt may have stored it: find it before posting again
            found = self._find(ref)
            if found:
                log.info("upload %s: item %s was stored by an earlier attempt", upload.id, found)
                steps.set(item_id=found)
                return found
        data = upload.read()
        if data is None:
            raise Refused(EXPIRED)
        steps.forget_email()  # MomaPIX never gets the email
        steps.set(posted="1")  # from here an unseen answer may have stored the item
        form = {"section": "private", "title": (upload.caption or upload.name or "Shopper photo")[:TITLE_CHARS],
                "caption": upload.caption or "", self._fields["reference"]: ref,
                self._fields["product"]: upload.tag_key, self._fields["byline"]: upload.name or ""}
        extension = "png" if upload.content_type == "image/png" else "jpg"
        try:
            answer = self._client.post("/rest/item", data=form, read_timeout=self._read_timeout,
                                       files={"userfile": (f"{ref}.{extension}", data, upload.content_type)})
        except UpstreamError as exc:
            if exc.answered:  # MomaPIX answered (5xx, 429): it stored nothing
                steps.set(posted="")
            raise Retry(f"POST /rest/item: {exc}") from None
        if answer.status in (200, 201):
            item_id = normalize.item_id((answer.json.get("data") or {}).get("id")) or ""
            steps.set(item_id=item_id, posted="")
            return item_id
        steps.set(posted="")
        if 400 <= answer.status < 500 and answer.status not in (401, 403, 408, 429):
            raise Refused(f"The photo service refused your photo ({answer.status}).")
        raise Retry(f"POST /rest/item answered {answer.status}")

    def _find(self, ref):
        try:
            answer = self._client.get_uncached(
                "/rest/search/items", {"filter": f"@{self._fields['reference']} {ref}",
                                       "fields[item]": f"id,{self._fields['reference']}", "page[size]": 10})
        except UpstreamError as exc:
            raise Retry(f"looking for an earlier delivery: {exc}") from None
        if answer.status != 200:
            raise Retry(f"looking for an earlier delivery: MomaPIX answered {answer.status}")
        for resource in answer.json.get("data") or []:
            attrs = resource.get("attributes") if isinstance(resource, dict) else None
            if isinstance(attrs, dict) and attrs.get(self._fields["reference"]) == ref:
                return normalize.item_id(resource.get("id"))
        return None

    def report(self, media_id, fields):
        """MomaPIX has no report endpoint: the report hides the medium here (HidingReported) and is logged."""
        log.info("momapix: report on item %s (no upstream report endpoint)", media_id)

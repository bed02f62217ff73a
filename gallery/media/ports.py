"""The ports a source implements, and the Source that bundles them for the registry.

A source is: a Catalogue (reads), optionally Submissions (uploads and reports) and Presets (widget
instances), a probe of its health, the credentials it must never leak, and any blueprints of its own
(Olapic's /olapic/ proxy, a webhook receiver). Everything here is plain Python: no Flask, no requests.
"""
from dataclasses import dataclass, field
from typing import Callable, Optional, Protocol

from .capabilities import Capabilities
from .models import Item, Page


class Catalogue(Protocol):
    """Reads. Ids and states are the source's own: bare ids (the registry adds and strips the prefix),
    JSON-serialisable states (the web layer encrypts them into cursors bound to the request).
    Raises NotFound, InvalidState, PaginationExpired, UpstreamError (gallery.media.models)."""

    def product(self, tag_key: str) -> Item: ...

    def product_media(self, tag_key: str, sort: str, limit: int, filters: dict,
                      state: Optional[dict] = None) -> Page: ...

    def category_media(self, key: str, sort: str, limit: int, filters: dict,
                       state: Optional[dict] = None) -> Page: ...

    def brand_media(self, sort: str, limit: int, filters: dict, state: Optional[dict] = None) -> Page: ...

    def medium(self, media_id: str) -> Item: ...

    def invalidate(self, tag_key: str) -> None:
        """Forget every cached answer of this product's gallery (a webhook or change feed said it changed)."""


@dataclass
class Upload:
    """An accepted upload, as a source's delivery sees it. `read()` gives the cleaned bytes (None once
    they expired). `email` is "" once a step no longer needs it (see Steps)."""

    id: str
    tag_key: str
    caption: str
    name: str
    email: str
    content_type: str
    latitude: Optional[str]
    longitude: Optional[str]
    read: Callable[[], Optional[bytes]]


class Steps(Protocol):
    """The delivery's progress, kept with the upload record (Redis) so that a retry, or a re-run after
    a worker died, resumes where the last attempt stopped and never redoes a step that is done.
    Values are strings; names are the source's own (e.g. Olapic: user_id, stash_id, stashed_at, sent)."""

    def get(self, name: str, default=None) -> Optional[str]: ...

    def set(self, **values) -> None:
        """Record values now (an empty string deletes one)."""

    def forget_email(self) -> None:
        """The shopper's email is no longer needed: drop it from the record."""


class Refused(Exception):
    """The upstream refused the upload for good: retrying cannot help. The message is for people;
    `code` (e.g. "processing_error") for machines."""

    def __init__(self, message, code="refused"):
        super().__init__(message)
        self.code = code


class Retry(Exception):
    """The upstream failed in a way that may pass: the job runs again after a delay."""


class Submissions(Protocol):
    def deliver(self, upload: Upload, steps: Steps) -> str:
        """Deliver into the upstream's review state; the upstream's id of it ("" when unknown).
        Raises Refused or Retry."""

    # Optional: processed(media_id) -> bool, for an upstream that processes an upload after it was
    # submitted (Mediagraph). The delivery job's follow-up asks at once, then after each retry delay,
    # until True; a Refused (processing failed for good) fails the upload, a Retry asks again later.

    def report(self, media_id: str, fields: dict) -> None:
        """Forward a shopper's report (fields: email, reason) on one of its media (bare id).
        Raises NotFound or UpstreamError. A source without a report endpoint logs it and returns."""


class Presets(Protocol):
    def preset(self, instance_id: str) -> Item:
        """A widget instance's carousel settings (limit, slide_by, infinite, auto_play, interval,
        sort): the instance id is opaque text. Raises NotFound or UpstreamError."""


@dataclass
class Check:
    name: str  # what was checked: "credentials", "customer", "listing"...
    ok: bool
    message: str  # plain words for operators; never a credential


@dataclass
class Health:
    """What a probe found: `status` is "ok" or one word of what is wrong (timeout, unavailable,
    credentials, http 401, bad_response...); `checks` say it in plain words (for `gallery check`)."""

    status: str
    checks: list = field(default_factory=list)


@dataclass
class Source:
    name: str  # the `provider` of its media, e.g. "olapic"
    capabilities: Capabilities
    catalogue: Catalogue
    probe: Callable[[], Health]  # asks the upstream past every cache
    submissions: Optional[Submissions] = None
    presets: Optional[Presets] = None
    blueprints: tuple = ()  # Flask blueprints of its own, registered by create_app
    secrets: tuple = ()  # its credentials: masked in logs as a last line of defence
    close: Callable[[], None] = lambda: None
    # A change feed the worker polls every few seconds (gallery/media/feeds.py): the keys whose
    # galleries changed since the last call ([] when nothing did, or it is not this process's turn).
    changes: Optional[Callable[[], list]] = None

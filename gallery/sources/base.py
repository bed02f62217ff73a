"""The media-source interface the views depend on. Each source keeps its own protocol behind it."""
from dataclasses import dataclass, field
from typing import Optional, Protocol

SORTS = ("recent", "shuffled", "photorank", "rated", "media_position")
FILTERS = ("rights_given", "include_tagged_galleries", "include_inactive_galleries", "filter_media_without_products")


def is_id(value):
    """An upstream id: ASCII digits only (str.isdigit() and regex \\d also take "²" or "٣")."""
    return isinstance(value, str) and value.isascii() and value.isdigit()


class SourceError(Exception):
    """Base of the errors a source raises; the API maps each to a status and a stable code."""


class NotFound(SourceError):
    """Unknown or inactive product, category or medium (also cached, like any answer)."""


class PaginationExpired(SourceError):
    """The continuation state points at upstream pagination that no longer exists."""


class InvalidState(SourceError):
    """The continuation state is not one this source produced."""


class UpstreamError(SourceError):
    """The upstream failed and nothing stale could be served. `kind` is timeout, unavailable or bad_response."""

    def __init__(self, kind, message, retry_after=None):
        super().__init__(message)
        self.kind, self.retry_after = kind, retry_after


@dataclass
class Freshness:
    """How long an answer may still be reused, so our own Cache-Control can match the upstream's."""

    max_age: int  # seconds of freshness left (0 when stale)
    stale: bool = False  # served past its freshness because the upstream failed


@dataclass
class Page:
    items: list  # normalized media dicts, shaped as docs/api.md "Media"
    next_state: Optional[dict]  # source-specific continuation, JSON-serialisable; None at the end
    freshness: Freshness = field(default_factory=lambda: Freshness(0))


@dataclass
class Item:
    value: dict  # a normalized product or medium
    freshness: Freshness = field(default_factory=lambda: Freshness(0))


class MediaSource(Protocol):
    def product(self, tag_key: str) -> Item: ...

    def product_media(self, tag_key: str, sort: str, limit: int, filters: dict, state: Optional[dict] = None) -> Page: ...

    def category_media(self, key: str, sort: str, limit: int, filters: dict, state: Optional[dict] = None) -> Page: ...

    def brand_media(self, sort: str, limit: int, filters: dict, state: Optional[dict] = None) -> Page: ...

    def medium(self, media_id: str) -> Item: ...

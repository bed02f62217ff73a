"""The domain's models: what a source answers (items, pages, their freshness) and the errors it raises.

Pure data, no I/O: no Flask, no requests. The web layer maps each error to a status and a stable code.
"""
from dataclasses import dataclass, field
from typing import Optional


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
    """The upstream failed and nothing stale could be served.

    kind: timeout | unavailable | bad_response | credentials (the upstream refused our credentials).
    retry_after: seconds the upstream asked us to wait (Retry-After of a 429 or 5xx), or ours.
    answered: the upstream gave an answer (a 5xx, a 429, a refusal), so a write it answered was not
    applied; False when no answer came (timeout, dropped connection) and a write may have been.
    status: the HTTP status the upstream answered, when it did.
    """

    def __init__(self, kind, message, retry_after=None, answered=False, status=None):
        super().__init__(message)
        self.kind, self.retry_after, self.answered, self.status = kind, retry_after, answered, status


@dataclass
class Freshness:
    """How long an answer may still be reused, so our own Cache-Control can match the upstream's."""

    max_age: int  # seconds of freshness left (0 when stale)
    stale: bool = False  # served past its freshness because the upstream failed
    # Seconds the answer may be served at all, fresh or stale (its signed image URLs expire then),
    # or None: no limit of its own. Bounds our stale-while-revalidate and stale-if-error too.
    usable_for: Optional[int] = None

    def capped(self, seconds):
        """Never past `seconds` from now, fresh or stale: e.g. the expiry of the signed image URLs it holds."""
        usable = max(0, int(seconds))
        if self.usable_for is not None:
            usable = min(usable, self.usable_for)
        return Freshness(min(self.max_age, usable), self.stale, usable)

    def aged(self, seconds):
        """The same answer `seconds` later (a memo hit)."""
        seconds = int(seconds)
        usable = None if self.usable_for is None else max(0, self.usable_for - seconds)
        return Freshness(max(0, self.max_age - seconds), self.stale, usable)

    @staticmethod
    def least(freshnesses):
        """The freshness of an answer made of several: the shortest, stale if any part is."""
        freshnesses = list(freshnesses)
        usable = [f.usable_for for f in freshnesses if f.usable_for is not None]
        return Freshness(min(f.max_age for f in freshnesses), any(f.stale for f in freshnesses),
                         min(usable) if usable else None)


@dataclass
class Page:
    items: list  # normalized media dicts, shaped as docs/api.md "Media"
    next_state: Optional[dict]  # source-specific continuation, JSON-serialisable; None at the end
    freshness: Freshness = field(default_factory=lambda: Freshness(0))


@dataclass
class Item:
    value: dict  # a normalized product, medium or widget preset
    freshness: Freshness = field(default_factory=lambda: Freshness(0))

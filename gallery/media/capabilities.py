"""What each source declares it can do, and the public vocabulary those declarations use.

The vocabulary is the public API's (docs/api.md), not any upstream's: a source maps what it has onto
these names and declares only the ones it truly supports. The web layer refuses the rest with a 400
naming the field, so a listing is never silently reordered or left unfiltered.
"""
from dataclasses import dataclass, field
from typing import Mapping, Optional

SCOPES = ("product", "category", "brand")  # the listings: a product's media, a category's, the brand's
SORTS = ("recent", "shuffled", "photorank", "rated", "media_position")
KINDS = ("ugc", "brand")  # a medium's `kind`
FILTERS = ("rights_given", "include_tagged_galleries", "include_inactive_galleries", "filter_media_without_products")


@dataclass(frozen=True)
class Capabilities:
    """sorts: for each listing scope it has, the sorts it supports (a scope left out, or with no sorts:
    no such listing).
    The first sort of a scope is not special: the API's default is always `recent`."""

    sorts: Mapping[str, tuple]
    filters: tuple = ()
    uploads: bool = False  # takes shoppers' uploads into its review state
    reports: bool = False  # a report on its media is delivered (else hidden and logged only)
    presets: bool = False  # has widget instances the carousel can start from
    id_prefix: str = ""  # before every medium id it serves ("" for Olapic only; "mg-", "ad-", "mpx-")
    urls_valid_for: Optional[int] = None  # seconds its image URLs stay valid, when they expire
    kind: str = "brand"  # what its media are by default: "ugc" (shoppers' photos) or "brand" (curated assets)
    notes: Mapping[str, str] = field(default_factory=dict)  # sort/filter -> how it maps, for the docs

    def refusal(self, scope, sort, filters):
        """(field, message) for the first of `sort` and `filters` this source lacks in `scope`, or None."""
        if not self.sorts.get(scope):
            return "providers", f"has no {scope} listings"
        if sort not in self.sorts[scope]:
            return "sort", f"sort {sort!r} is not supported for {scope} listings"
        for name, value in filters.items():
            if value is not None and name not in self.filters:
                return name, f"filter {name!r} is not supported"
        return None

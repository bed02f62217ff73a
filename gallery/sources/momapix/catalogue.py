"""The MomaPIX catalogue: a product (or a category) is a lightbox of the service account whose
description (or the configured field) is exactly its key; its media are the lightbox's published
photos and videos. There is no brand listing.

Pages are asked by number at a fixed upstream size, and the size the server really used is read
from meta.page.size (it rounds sizes). A page of ours may span several upstream pages; where it ends
is kept in a continuation state {"lb": <lightbox id>, "n": <upstream page>, "size": <its size>,
"skip": <items of it already consumed>}, which the API layer encrypts into an opaque cursor. There
is no upstream pagination token, so a state never expires.
"""
import re

from ...media.models import Freshness, InvalidState, Item, NotFound, Page, UpstreamError
from . import normalize

LIGHTBOX_PAGE = 250  # the largest supported size, to list lightboxes in few requests
MAX_UPSTREAM_PAGES = 8  # per page of ours: a bound when pages are mostly hidden items
MAX_LIGHTBOX_PAGES = 40  # 10,000 lightboxes
SORTS = {"recent": "date", "media_position": None}  # media_position: the curator's order in the lightbox
_ID = re.compile(r"^\d{1,15}(\.\d{1,6})?$")
# MQL reserves ":" and '"' in keywords; the operators would change the search's meaning.
_MQL_UNSAFE = re.compile(r'[:"|()@%*\-\s]')


class MomapixCatalogue:
    def __init__(self, client, lookup="lightboxes", field="description", boxes=None, page_size=100,
                 urls_valid_for=None):
        """`page_size`: asked of item pages (100, the default, is always supported: one page of ours);
        `urls_valid_for`: seconds the installation's image URLs live, when they expire."""
        self._client, self._lookup, self._field = client, lookup, field
        self._page_size, self._urls_valid_for = page_size, urls_valid_for
        self._boxes = boxes or {}
        self._item_fields = ",".join(normalize.FIELDS)

    # Catalogue -------------------------------------------------------------------------------

    def product(self, tag_key):
        lightbox, freshness = self._lightbox(tag_key)
        return Item(self._product(tag_key, lightbox), self._capped(freshness))

    def product_media(self, tag_key, sort, limit, filters, state=None):
        return self._listing(tag_key, sort, limit, state, product=True)

    def category_media(self, key, sort, limit, filters, state=None):
        return self._listing(key, sort, limit, state, product=False)

    def brand_media(self, sort, limit, filters, state=None):
        raise ValueError("MomaPIX has no brand listing")

    def medium(self, media_id):
        if not _ID.match(str(media_id)):  # an id only ever becomes one path segment
            raise NotFound(f"no medium {media_id!r}")
        answer = self._get(f"/rest/item/{media_id}", {"fields[item]": self._item_fields}, NotFound)
        resource = answer.json.get("data")
        if not isinstance(resource, dict) or not normalize.publishable(resource):
            raise NotFound(f"no medium {media_id!r}")
        return Item(normalize.medium(resource, self._boxes), self._capped(answer.freshness))

    def invalidate(self, tag_key):
        self._client.invalidate(_tag(tag_key))

    # Products --------------------------------------------------------------------------------

    def _product(self, tag_key, lightbox):
        return normalize.product(lightbox["id"], tag_key, lightbox.get("attributes") or {}, self._boxes)

    def _lightbox(self, tag_key):
        """The service account's lightbox for `tag_key` (exact match), and the answers' freshness."""
        if self._lookup == "search" and not _MQL_UNSAFE.search(tag_key):
            found, freshness = self._lightboxes("/rest/search/lightboxes", {"filter": f"@{self._field} {tag_key}"},
                                                tag_key)
        else:
            found, freshness = self._lightboxes("/rest/lightboxes", {}, tag_key)
        if found is None:
            raise NotFound(f"no lightbox for product {tag_key!r}")
        return found, freshness

    def _lightboxes(self, path, params, tag_key):
        freshness = []
        fields = f"{self._field},description,text,numberofitemsinlightbox,url_thumb_l"
        for number in range(1, MAX_LIGHTBOX_PAGES + 1):
            answer = self._get(path, {**params, "fields[lightbox]": fields, "page[number]": number,
                                      "page[size]": LIGHTBOX_PAGE}, tag=_LIGHTBOXES)
            freshness.append(answer.freshness)
            data = _list(answer.json.get("data"))
            for lb in data:
                attrs = lb.get("attributes") if isinstance(lb, dict) else None
                if isinstance(attrs, dict) and attrs.get(self._field) == tag_key and lb.get("id") is not None:
                    return lb, Freshness.least(freshness)
            if not data or _done(answer.json, number, len(data)):
                break
        return None, Freshness.least(freshness)

    # Listings --------------------------------------------------------------------------------

    def _listing(self, key, sort, limit, state, product):
        if sort not in SORTS:
            raise ValueError(f"unsupported sort {sort!r}")
        lightbox, freshness = self._lightbox(key)
        lb_id = str(lightbox["id"])
        number, size, skip = (1, self._page_size, 0) if state is None else _resume(state, lb_id)
        products = [self._product(key, lightbox)] if product else []
        page = self._fill(lb_id, SORTS[sort], number, size, skip, limit, [freshness], products, _tag(key))
        page.freshness = self._capped(page.freshness)
        return page

    def _capped(self, freshness):
        """Never fresher than the image URLs the answer holds."""
        return freshness.capped(self._urls_valid_for) if self._urls_valid_for else freshness

    def _fill(self, lb_id, sort, number, size, skip, limit, freshness, products, tag):
        """Collect `limit` published items from page `number` on, skipping what is hidden."""
        items, seen, next_state = [], set(), None
        for _ in range(MAX_UPSTREAM_PAGES):
            params = {"page[number]": number, "page[size]": size, "fields[item]": self._item_fields}
            if sort:
                params["sort"] = sort
            answer = self._get(f"/rest/lightbox/{lb_id}/items", params, NotFound, tag)
            freshness.append(answer.freshness)
            size = _page_size(answer.json, size)  # the size the server really used
            data = _list(answer.json.get("data"))
            used = skip
            for resource in data[skip:]:
                if len(items) == limit:
                    break
                used += 1
                rid = normalize.item_id(resource.get("id")) if isinstance(resource, dict) else None
                if rid in seen or not normalize.publishable(resource):
                    continue
                seen.add(rid)
                items.append(normalize.medium(resource, self._boxes, products))
            if used < len(data):  # our page ends inside this upstream page
                next_state = {"lb": lb_id, "n": number, "size": size, "skip": used}
                break
            if not data or _done(answer.json, number, len(data), size):
                break
            number, skip = number + 1, 0
            if len(items) == limit:
                next_state = {"lb": lb_id, "n": number, "size": size, "skip": 0}
                break
        else:  # mostly hidden items: the next request goes on from here
            next_state = {"lb": lb_id, "n": number, "size": size, "skip": 0}
        return Page(items, next_state, Freshness.least(freshness))

    def _get(self, path, params=None, not_found=None, tag=None):
        """A 200 answer. 404 (and a 400 about our input) raise `not_found` when given; any other
        refusal is the upstream failing us."""
        answer = self._client.get(path, params, tag)
        if answer.status == 200:
            return answer
        if answer.status in (400, 404) and not_found:
            raise not_found(f"upstream answered {answer.status}: {_detail(answer.json)}")
        raise UpstreamError("unavailable", f"MomaPIX refused the request ({answer.status}: {_detail(answer.json)}).",
                            answered=True, status=answer.status)


_LIGHTBOXES = "momapix:lightboxes"


def _tag(tag_key):
    return f"momapix:product:{tag_key}"


def _list(value):
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _page_size(body, asked):
    try:
        size = int(body["meta"]["page"]["size"])
    except (KeyError, TypeError, ValueError):
        return asked
    return size if 0 < size <= 1000 else asked


def _done(body, number, count, size=None):
    """Whether page `number` was the last: by meta.total when given, else by a short page."""
    size = size or _page_size(body, count)
    try:
        total = int((body.get("meta") or {}).get("total"))
    except (TypeError, ValueError):
        return count < size
    return number * size >= total


def _detail(body):
    errors = body.get("errors") if isinstance(body, dict) else None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return str(errors[0].get("detail") or errors[0].get("title") or "")[:200]
    return ""


def _resume(state, lb_id):
    """Check a continuation state against the listing it claims to continue."""
    try:
        lb, number, size, skip = state["lb"], state["n"], state["size"], state["skip"]
    except (KeyError, TypeError):
        raise InvalidState("not a continuation state of this source") from None
    if (lb != lb_id or any(isinstance(v, bool) or not isinstance(v, int) for v in (number, size, skip))
            or number < 1 or not 0 < size <= 1000 or not 0 <= skip < size or set(state) != {"lb", "n", "size", "skip"}):
        raise InvalidState("the continuation state does not belong to this listing")
    return number, size, skip

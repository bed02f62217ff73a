"""The Olapic media source: products are streams found by tag key, media are pages of HAL links.

Media listings start from the entity's own `_embedded["media:<sort>"]` link and continue through
`_links.next`, never from URLs assembled by hand. A page of our own may span several upstream pages
(limit up to 100, upstream count up to 50); where it ends is kept in a small continuation state,
{"href": <path and query of an upstream page, no key>, "skip": <media of it already served>}, which
the API layer encrypts into an opaque cursor.

Every request made for a product's gallery is tagged with it, so invalidate(tag_key) forgets them.
"""
import dataclasses
import re
import threading
from urllib.parse import urlsplit

from ...media.capabilities import FILTERS, SORTS
from ...media.models import (
    Freshness, InvalidState, Item, NotFound, Page, PaginationExpired, UpstreamError, is_id,
)
from . import normalize

UPSTREAM_PAGE = 50  # the most media one upstream page holds
MAX_UPSTREAM_PAGES = 5  # per page of ours: enough for limit 100, and a bound on a looping upstream
PAGINATION_EXPIRED = "No pagination found."
_SORTS = "|".join(SORTS)
# The upstream paths a continuation state may point at, per listing.
_STATE_PATHS = {
    "product": re.compile(rf"/streams/([0-9]+)/media/({_SORTS})"),
    "category": re.compile(rf"/categories/([0-9]+)/media/({_SORTS})"),
    "brand": re.compile(rf"/customers/([0-9]+)/media/({_SORTS})"),
}


class OlapicCatalogue:
    def __init__(self, client, customer_id=""):
        self._client = client
        self._customer_id = str(customer_id or "")
        self._customer_lock = threading.Lock()

    # Catalogue -------------------------------------------------------------------------------

    def product(self, tag_key):
        return self._product(tag_key)

    def product_media(self, tag_key, sort, limit, filters, state=None):
        return self._listing("product", self._search("streams", tag_key, "product"), sort, limit, filters, state,
                             _tag(tag_key))

    def category_media(self, key, sort, limit, filters, state=None):
        if sort == "media_position":
            raise ValueError("media_position sorts stream media only")
        return self._listing("category", self._search("categories", key, "category"), sort, limit, filters, state)

    def brand_media(self, sort, limit, filters, state=None):
        if sort == "media_position":
            raise ValueError("media_position sorts stream media only")
        return self._listing("brand", self._customer_answer(), sort, limit, filters, state)

    def medium(self, media_id):
        if not is_id(str(media_id)):  # an id never becomes anything but one path segment
            raise NotFound(f"no medium {media_id!r}")
        return self._medium(media_id)

    def invalidate(self, tag_key):
        self._client.invalidate(_tag(tag_key))

    def readiness(self):
        """Ask the upstream, past the cache, for what the API needs: the key, the customer (configured,
        or discovered from the root) and a media listing that can be followed and read.

        Returns (state, detail): ("ok", the customer id), or a word ("http 401", "timeout",
        "unavailable", "bad_response", "wrong_customer", "unreadable") and what is wrong in plain words.
        """
        try:
            root = self._client.get_uncached("/")
            if root.status != 200:
                return f"http {root.status}", f"The root endpoint answered {root.status}."
            found = normalize.customer(root.json.get("data"))
            if found is None:
                return "unreadable", ("The root answered no customer "
                                      "(neither data.id nor data._embedded.customer.id).")
            customer_id, entity = str(found["id"]), found
            if self._customer_id and self._customer_id != customer_id:
                return "wrong_customer", (f"OLAPIC_CUSTOMER_ID is {self._customer_id}, "
                                          f"but the key belongs to customer {customer_id}.")
            if self._customer_id:
                answer = self._client.get_uncached(f"/customers/{customer_id}")
                entity = normalize.customer(answer.json.get("data")) if answer.status == 200 else None
                if entity is None:
                    return "unreadable", f"/customers/{customer_id} answered {answer.status} without a customer."
            try:
                href = entity["_embedded"]["media:recent"]["_links"]["self"]["href"]
            except (KeyError, TypeError):
                return "unreadable", "The customer names no media:recent listing."
            page = self._client.get_uncached(href, {"count": 1})
            data = page.json.get("data")
            if page.status != 200 or not isinstance(data, dict):
                return "unreadable", f"The customer's media listing answered {page.status} without a page."
            for medium in normalize.media_list(data):
                normalize.medium(medium)
        except UpstreamError as exc:
            return exc.kind, str(exc)
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            return "unreadable", f"The customer's media listing holds a medium we cannot read ({type(exc).__name__})."
        return "ok", customer_id

    def _product(self, tag_key):
        answer = self._search("streams", tag_key, "product")
        return Item(normalize.product(answer.json["data"]), answer.freshness)

    def _medium(self, media_id):
        answer = self._get(f"/media/{media_id}", not_found=NotFound)
        return Item(normalize.medium(answer.json["data"]), answer.freshness)

    # Upstream --------------------------------------------------------------------------------

    def _customer(self):
        """The configured customer id, or the one the root endpoint names for our key (asked once)."""
        with self._customer_lock:
            if not self._customer_id:
                entity = normalize.customer(self._get("/").json.get("data"))
                if entity is None:
                    raise UpstreamError("bad_response", "The upstream's root named no customer.")
                self._customer_id = str(entity["id"])
            return self._customer_id

    def _customer_answer(self):
        """/customers/{id}, with the customer entity in `data` whether or not the upstream wrapped it."""
        answer = self._get(f"/customers/{self._customer()}")
        entity = normalize.customer(answer.json.get("data"))
        if entity is None:
            raise UpstreamError("bad_response", "The upstream answered no customer.")
        return dataclasses.replace(answer, json={**answer.json, "data": entity})

    def _search(self, collection, key, what):
        """A stream or category by its key. The key only ever travels as a query parameter."""
        try:
            key.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: no upstream entity can have this key
            raise NotFound(f"no {what} {key!r}") from None
        tag = _tag(key) if collection == "streams" else None
        return self._get(f"/customers/{self._customer()}/{collection}/search", {"tag_key": key}, NotFound, tag)

    def _get(self, href, params=None, not_found=None, tag=None):
        """An upstream answer that must be a 200. A 404 (or a 400 about our input, or a 403 for
        another customer's entity) raises `not_found` when given; any other refusal (e.g. 401 for a
        wrong key) is the upstream failing us."""
        answer = self._client.get(href, params, tag)
        if answer.status == 200:
            return answer
        data = answer.json.get("data")
        message = data.get("message", "") if isinstance(data, dict) else ""
        if answer.status == 404 and message == PAGINATION_EXPIRED:
            raise PaginationExpired(message)
        if answer.status in (400, 403, 404) and not_found:  # 403: another customer's entity
            raise not_found(message or f"upstream answered {answer.status}")
        raise UpstreamError("unavailable", f"The upstream refused the request ({answer.status}: {message}).")

    # Listings --------------------------------------------------------------------------------

    def _listing(self, kind, answer, sort, limit, filters, state, tag=None):
        """A page of the media of the entity in `answer` (a stream, category or customer)."""
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r}")
        entity = answer.json.get("data")
        if not isinstance(entity, dict):
            raise UpstreamError("bad_response", "The upstream answered no entity.")
        if state is None:
            try:
                href = entity["_embedded"][f"media:{sort}"]["_links"]["self"]["href"]
            except (KeyError, TypeError):
                raise UpstreamError("bad_response", f"The upstream gave no {sort} media link.") from None
            params = {"count": min(limit, UPSTREAM_PAGE)}
            params.update(
                {name: _flag(value) for name, value in filters.items() if name in FILTERS and value is not None})
            skip = 0
        else:
            href, skip = self._resume(kind, entity, sort, state)
            params = None
        return self._fill(href, params, skip, limit, [answer.freshness], tag)

    def _resume(self, kind, entity, sort, state):
        """Check a continuation state against the listing it claims to continue."""
        try:
            href, skip = state["href"], state["skip"]
            parts = urlsplit(href)
            match = _STATE_PATHS[kind].fullmatch(parts.path.rstrip("/"))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise InvalidState("not a continuation state of this source") from None
        if (
            not match or parts.scheme or parts.netloc
            or not isinstance(skip, int) or not 0 <= skip < UPSTREAM_PAGE
            or match.group(2) != sort or match.group(1) != str(entity.get("id"))
        ):
            raise InvalidState("the continuation state does not belong to this listing")
        return href, skip

    def _fill(self, href, params, skip, limit, freshness, tag):
        """Collect `limit` media from `href` on, following `next` server-side when a page runs out."""
        items, next_state = [], None
        for _ in range(MAX_UPSTREAM_PAGES):
            answer = self._get(href, params, NotFound, tag)
            freshness.append(answer.freshness)
            data = answer.json.get("data")
            if not isinstance(data, dict):
                raise UpstreamError("bad_response", "The upstream answered no page of media.")
            media = normalize.media_list(data)[skip:]
            taken = media[:limit - len(items)]
            items += [normalize.medium(m) for m in taken]
            next_href = _href(data, "next")
            if len(taken) < len(media):  # our page ends inside this upstream page
                # The page we asked for, as it names itself (its page key) or, lacking a link, as we asked.
                self_href = _href(data, "self") or self._client.url(href, params)
                next_state = {"href": _path(self_href), "skip": skip + len(taken)}
                break
            if not next_href:
                break
            if len(items) == limit:
                next_state = {"href": _path(next_href), "skip": 0}
                break
            href, params, skip = next_href, None, 0
        else:  # the upstream kept giving empty pages: let the next request go on from here
            next_state = {"href": _path(href), "skip": skip}
        return Page(items, next_state, Freshness.least(freshness))


def _href(data, rel):
    """`_links[rel].href`, or None: links may be `[]` (lists that are not paged) or `null`."""
    links = data.get("_links")
    link = links.get(rel) if isinstance(links, dict) else None
    href = link.get("href") if isinstance(link, dict) else None
    return href if isinstance(href, str) and href else None


def _path(href):
    """An upstream href as path and query only, without a trailing slash: states never name a host
    (the client adds ours), and one page has one spelling whatever the upstream's links end with."""
    parts = urlsplit(href)
    path = parts.path.rstrip("/") or "/"
    return f"{path}?{parts.query}" if parts.query else path


def _flag(value):
    """A filter value (True, 1, "1", "true"...) as Olapic's 0|1."""
    return 1 if str(value).lower() in ("1", "true") else 0


def _tag(tag_key):
    return f"olapic:product:{tag_key}"

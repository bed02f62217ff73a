"""The Mediagraph catalogue: a product (or a category) is the collection named exactly by its key
under the configured parent collection (or the collection MEDIAGRAPH_COLLECTIONS maps it to); its
media are that collection's own publishable assets, from `/api/assets/search`. There is no brand
listing.

Keys are opaque text: they are only ever a query value (`q=`), compared exactly with the names that
come back, never part of a path. Ids in paths are digits only.

A page of ours may span several upstream pages (`per_page` MEDIAGRAPH_PAGE_SIZE). Page 1 is asked
without `snapshot_timestamp`, so every visitor shares its cached answer; the continuation state then
pins the listing to the time that answer was made (its Date), so assets added meanwhile never shift
later pages: {"c": <collection id>, "p": <upstream page>, "pp": <per_page>, "snap": <ms>,
"skip": <assets of page p already consumed>}.
"""
import logging
import time
from email.utils import parsedate_to_datetime

import redis

from ...media.models import Freshness, InvalidState, Item, NotFound, Page, UpstreamError, is_id
from . import normalize

COLLECTION_PAGE = 100
MAX_COLLECTION_PAGES = 20  # collections whose names contain the key, looked through at most
MAX_UPSTREAM_PAGES = 8  # per page of ours: a bound when pages are mostly hidden assets
# Ours -> Mediagraph's search sort (002: `sort` + `order`). `custom` is the collection's manual order.
SORTS = {"recent": ("created_at", "desc"), "rated": ("rating", "desc"), "media_position": ("custom", "asc")}
COLLECTIONS_KEY = "gallery:mediagraph:collections"  # collection id -> tag key, for the webhooks

log = logging.getLogger(__name__)


class MediagraphCatalogue:
    def __init__(self, client, redis_client, parents, mapping=None, boxes=None, page_size=50):
        """`parents`: {"product": id, "category": id} of the parent collections; `mapping`: tag key ->
        collection id (configured products)."""
        self._client, self._redis = client, redis_client
        self._parents = {scope: str(p) for scope, p in parents.items() if p}
        self._mapping, self._boxes = dict(mapping or {}), boxes or {}
        self._mapped = {cid: key for key, cid in self._mapping.items()}
        self._page_size = page_size
        self._known = set()  # (collection id, key) pairs this process has recorded

    # Catalogue -------------------------------------------------------------------------------

    def product(self, tag_key):
        collection, freshness = self._collection(tag_key, "product")
        return Item(normalize.product(collection, tag_key), freshness)

    def product_media(self, tag_key, sort, limit, filters, state=None):
        return self._listing(tag_key, "product", sort, limit, state)

    def category_media(self, key, sort, limit, filters, state=None):
        return self._listing(key, "category", sort, limit, state)

    def brand_media(self, sort, limit, filters, state=None):
        raise ValueError("Mediagraph has no brand listing")

    def medium(self, media_id):
        if not is_id(media_id):  # an id only ever becomes one path segment
            raise NotFound(f"no medium {media_id!r}")
        answer = self._get(f"/api/assets/{media_id}", {"include_renditions": "true"}, asset_tag(media_id))
        asset = answer.json if isinstance(answer.json, dict) else {}
        products = [normalize.product(c, key) for c, key in map(self._product_key, _list(asset.get("collections")))
                    if key is not None]
        if not products or not normalize.publishable(asset):
            raise NotFound(f"no medium {media_id!r}")
        return Item(normalize.medium(asset, self._boxes, products), answer.freshness)

    def invalidate(self, tag_key):
        self._client.invalidate(product_tag(tag_key))

    def forget_medium(self, media_id):
        self._client.invalidate(asset_tag(media_id))

    def keys_of(self, collection_ids):
        """The tag keys of the collections with these ids that this service has looked up."""
        ids = [str(i) for i in collection_ids if is_id(str(i))]
        keys = self._redis.hmget(COLLECTIONS_KEY, ids) if ids else []
        return sorted({k.decode() for k in keys if k is not None})

    # Collections -----------------------------------------------------------------------------

    def _collection(self, key, scope):
        """The collection of `key` in `scope`, and the answers' freshness; NotFound when there is none."""
        if scope == "product" and key in self._mapping:
            answer = self._get(f"/api/collections/{self._mapping[key]}", None, product_tag(key))
            collection, freshness = answer.json, [answer.freshness]
        else:
            collection, freshness = self._named(key, self._parents.get(scope))
        if not isinstance(collection, dict) or normalize.asset_id(collection.get("id")) is None:
            raise NotFound(f"no collection for {key!r}")
        self._remember(normalize.asset_id(collection["id"]), key)
        return collection, Freshness.least(freshness)

    def _named(self, key, parent):
        freshness = []
        if parent is None:
            raise NotFound(f"no parent collection is configured for {key!r}")
        for number in range(1, MAX_COLLECTION_PAGES + 1):
            answer = self._get("/api/collections", {"q": key, "parent_id": parent, "page": number,
                                                    "per_page": COLLECTION_PAGE}, product_tag(key))
            freshness.append(answer.freshness)
            data = _list(answer.json)
            for c in data:  # "Search by name" matches loosely: only the exact name under the parent is it
                if c.get("name") == key and str(c.get("parent_id")) == parent:
                    return c, freshness
            if _done(answer, number, COLLECTION_PAGE, len(data)):
                break
        return None, freshness

    def _product_key(self, c):
        """(collection, its product's tag key), the key None when it is no product's collection."""
        cid = str(c.get("id"))
        if cid in self._mapped:
            return c, self._mapped[cid]
        named = isinstance(c.get("name"), str) and str(c.get("parent_id")) == self._parents.get("product")
        return c, c["name"] if named and c["name"] not in self._mapping else None

    def _remember(self, collection_id, key):
        """Record which product a collection is, for the webhooks (once per process and pair)."""
        if (collection_id, key) in self._known:
            return
        try:
            self._redis.hset(COLLECTIONS_KEY, collection_id, key)
        except redis.RedisError as exc:  # galleries go on without Redis; a later lookup records it
            log.info("mediagraph: collection %s not recorded for webhooks (%s)", collection_id, type(exc).__name__)
            return
        self._known.add((collection_id, key))

    # Listings --------------------------------------------------------------------------------

    def _listing(self, key, scope, sort, limit, state):
        if sort not in SORTS:
            raise ValueError(f"unsupported sort {sort!r}")
        collection, freshness = self._collection(key, scope)
        cid = normalize.asset_id(collection["id"])
        number, per_page, snap, skip = (1, self._page_size, None, 0) if state is None else _resume(state, cid)
        products = [normalize.product(collection, key)] if scope == "product" else []
        items, seen, next_state, parts = [], set(), None, [freshness]
        field, order = SORTS[sort]
        for _ in range(MAX_UPSTREAM_PAGES):
            params = {"collection_id": cid, "omit_child_collections": "true", "submitted": "true",
                      "include_renditions": "true", "sort": field, "order": order, "page": number,
                      "per_page": per_page, "snapshot_timestamp": snap}
            answer = self._get("/api/assets/search", params, product_tag(key))
            parts.append(answer.freshness)
            snap = snap or _made_at(answer)
            data = normalize.listed(answer.json)
            used = skip
            for asset in data[skip:]:
                if len(items) == limit:
                    break
                used += 1
                aid = normalize.asset_id(asset.get("id"))
                if aid in seen or not normalize.publishable(asset):
                    continue
                seen.add(aid)
                items.append(normalize.medium(asset, self._boxes, products))
            if used < len(data):  # our page ends inside this upstream page
                next_state = _state(cid, number, per_page, snap, used)
                break
            if _done(answer, number, per_page, len(data)):
                break
            number, skip = number + 1, 0
            if len(items) == limit:
                next_state = _state(cid, number, per_page, snap, 0)
                break
        else:  # mostly hidden assets: the next request goes on from here
            next_state = _state(cid, number, per_page, snap, 0)
        return Page(items, next_state, Freshness.least(parts))  # each part bounded by its URLs' validity

    def _get(self, path, params, tag):
        """A 200 answer; 404 is NotFound; any other refusal is Mediagraph failing us (401 and 403
        never get here: they are credentials failures, raised by the transport)."""
        answer = self._client.get(path, params, tag)
        if answer.status == 200:
            return answer
        if answer.status == 404:
            raise NotFound(f"Mediagraph answered 404 for {path}")
        message = answer.json.get("message") if isinstance(answer.json, dict) else None
        raise UpstreamError("bad_response" if answer.status == 400 else "unavailable",
                            f"Mediagraph refused the request ({answer.status}: {str(message or '')[:200]}).",
                            answered=True, status=answer.status)


def product_tag(key):
    return f"mediagraph:product:{key}"


def asset_tag(media_id):
    return f"mediagraph:asset:{media_id}"


def _list(value):
    if isinstance(value, dict):
        value = value.get("data") if "data" in value else value.get("collections")
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _total(answer):
    """Total-Entries, else the body's total_entries (or total); None when neither is a number."""
    body = answer.json if isinstance(answer.json, dict) else {}
    for value in (answer.headers.get("Total-Entries"), body.get("total_entries"), body.get("total")):
        try:
            return int(value)
        except (TypeError, ValueError):
            continue
    return None


def _done(answer, number, per_page, count):
    """Whether page `number` was the last: by the total when given, else by a short page."""
    total = _total(answer)
    if not count:
        return True
    return (number - 1) * per_page + count >= total if total is not None else count < per_page


def _made_at(answer):
    """When Mediagraph made this answer (its Date), in ms: the snapshot of the pages after it."""
    try:  # an IMF-fixdate is 29 characters; a server that sends two gets them joined by ", "
        made = parsedate_to_datetime(str(answer.headers.get("Date"))[:29]).timestamp()
    except (TypeError, ValueError):
        made = time.time()
    return int(made * 1000)


def _state(cid, number, per_page, snap, skip):
    return {"c": cid, "p": number, "pp": per_page, "snap": snap, "skip": skip}


def _resume(state, cid):
    """Check a continuation state against the listing it claims to continue."""
    try:
        c, number, per_page, snap, skip = state["c"], state["p"], state["pp"], state["snap"], state["skip"]
    except (KeyError, TypeError):
        raise InvalidState("not a continuation state of this source") from None
    if (c != cid or set(state) != {"c", "p", "pp", "snap", "skip"}
            or any(isinstance(v, bool) or not isinstance(v, int) for v in (number, per_page, snap, skip))
            or number < 1 or not 0 < per_page <= 100 or not 0 <= skip < per_page or snap <= 0):
        raise InvalidState("the continuation state does not belong to this listing")
    return number, per_page, snap, skip

"""The Acquia DAM catalogue: a product (or a category) is the folder whose `clientfolderid` is its key
(`GET /folders/<key>?clientfolderid=true`); its media are the folder's active images and videos,
newest first (`GET /folders/:id/assets?sortby=datecreated&sortdir=desc`: the API's default direction
is ascending, so it is always sent). There is no brand listing.

Upstream pages are asked at a fixed offset step of PAGE (the documented maximum, so every page size of
ours shares the same cached answers). Where a page of ours ends is kept in a continuation state
{"f": <folder id>, "o": <upstream offset>, "s": <items of that page consumed>, "t": <datecreated of the
last medium served>, "ids": [<the ids served with that datecreated>]}. Offsets drift when assets are
added during a walk (there is no snapshot parameter): the next page then starts earlier in the list,
and everything at or before the last served medium in the sort order is skipped, so a walk never
serves a medium twice.

Freshness: every answer holds thumbnail URLs that expire (thumbnail_ttl, asked on every read); an
answer is never fresh, nor served stale, past the moment its URLs stop being usable (client.py).
"""
from urllib.parse import quote

from ...media.models import Freshness, InvalidState, Item, NotFound, Page, UpstreamError, is_id
from . import normalize

PAGE = 100  # "Maximum=100"
MAX_UPSTREAM_PAGES = 8  # per page of ours: a bound when a folder is mostly hidden assets
MAX_TIED = 50  # ids kept in a state for media sharing the last served datecreated
SORTS = {"recent": ("datecreated", "desc")}
STATE_KEYS = {"f", "o", "s", "t", "ids"}


class AcquiaDamCatalogue:
    def __init__(self, client, thumbnail_ttl, upgrade_http=True, review_folder=""):
        """`thumbnail_ttl`: asked on every read; `review_folder`: the uploads' folder, whose assets are
        never media."""
        self._client, self._ttl = client, thumbnail_ttl
        self._upgrade, self._review = upgrade_http, str(review_folder or "")

    # Catalogue -------------------------------------------------------------------------------

    def product(self, tag_key):
        folder, answer = self._folder(tag_key)
        return Item(normalize.product(folder, tag_key, self._upgrade), self._freshness([answer]))

    def product_media(self, tag_key, sort, limit, filters, state=None):
        return self._listing(tag_key, sort, limit, state, product=True)

    def category_media(self, key, sort, limit, filters, state=None):
        return self._listing(key, sort, limit, state, product=False)

    def brand_media(self, sort, limit, filters, state=None):
        raise ValueError("Acquia DAM has no brand listing")

    def medium(self, media_id):
        if not is_id(str(media_id)):  # an id only ever becomes one path segment
            raise NotFound(f"no medium {media_id!r}")
        answer = self._get(f"/assets/{media_id}", {"thumbnail_ttl": self._ttl}, NotFound, asset_tag(media_id))
        asset = answer.json
        if not normalize.publishable(asset):
            raise NotFound(f"no medium {media_id!r}")
        folder_id = normalize.folder_id_of(asset)
        if folder_id is None or folder_id == self._review:
            raise NotFound(f"no medium {media_id!r}")
        found = self._get(f"/folders/{folder_id}", {"thumbnail_ttl": self._ttl}, NotFound, asset_tag(media_id))
        folder = found.json
        key = folder.get("clientfolderid") if isinstance(folder, dict) else None
        if not normalize.active_folder(folder) or not isinstance(key, str) or not key:
            raise NotFound(f"no medium {media_id!r}")  # only media of an active product (or category) folder
        product = normalize.product(folder, key, self._upgrade)
        return Item(normalize.medium(asset, [product], self._upgrade), self._freshness([answer, found]))

    def invalidate(self, tag_key):
        self._client.invalidate(tag(tag_key))

    def forget_medium(self, media_id):
        """Forget the cached answers of medium(media_id) (the change feed named the asset)."""
        self._client.invalidate(asset_tag(media_id))

    # Folders ---------------------------------------------------------------------------------

    def _folder(self, key):
        """The active folder whose clientfolderid is `key`, and its answer."""
        if not key or key in (".", ".."):
            raise NotFound(f"no folder for {key!r}")
        answer = self._get(f"/folders/{quote(key, safe='')}", {"clientfolderid": "true", "thumbnail_ttl": self._ttl},
                           NotFound, tag(key))
        body = answer.json
        candidates = body if isinstance(body, list) else [body]
        # The id must really be the clientfolderid asked: never a folder found by its numeric id.
        folder = next((f for f in candidates if isinstance(f, dict) and f.get("clientfolderid") == key), None)
        if folder is None or not normalize.active_folder(folder) or normalize.asset_id(folder["id"]) == self._review:
            raise NotFound(f"no active folder for {key!r}")
        return folder, answer

    # Listings --------------------------------------------------------------------------------

    def _listing(self, key, sort, limit, state, product):
        if sort not in SORTS:
            raise ValueError(f"unsupported sort {sort!r}")
        folder, answer = self._folder(key)
        folder_id = normalize.asset_id(folder["id"])
        offset, skip, anchor = (0, 0, None) if state is None else _resume(state, folder_id)
        products = [normalize.product(folder, key, self._upgrade)] if product else []
        sortby, sortdir = SORTS[sort]
        items, seen, answers, next_state = [], set(), [answer], None
        for _ in range(MAX_UPSTREAM_PAGES):
            params = {"sortby": sortby, "sortdir": sortdir, "limit": PAGE, "offset": offset,
                      "thumbnail_ttl": self._ttl}
            page = self._get(f"/folders/{folder_id}/assets", params, NotFound, tag(key))
            answers.append(page)
            body = page.json if isinstance(page.json, dict) else {}
            data = [a for a in body.get("items") or [] if isinstance(a, dict)]
            used = skip
            for asset in data[skip:]:
                if len(items) == limit:
                    break
                used += 1
                aid = normalize.asset_id(asset.get("id"))
                if aid in seen or not normalize.publishable(asset) or _served(asset, aid, anchor):
                    continue
                seen.add(aid)
                items.append(normalize.medium(asset, products, self._upgrade))
                anchor = _after(anchor, asset, aid)
            if used < len(data):  # our page ends inside this upstream page
                next_state = _state(folder_id, offset, used, anchor)
                break
            total = normalize.count(body.get("total_count"))
            if not data or (total is not None and offset + len(data) >= total) or (total is None and len(data) < PAGE):
                break
            offset, skip = offset + len(data), 0
            if len(items) == limit:
                next_state = _state(folder_id, offset, 0, anchor)
                break
        else:  # mostly hidden assets: the next request goes on from here
            next_state = _state(folder_id, offset, skip, anchor)
        return Page(items, next_state, self._freshness(answers))

    # Answers ---------------------------------------------------------------------------------

    @staticmethod
    def _freshness(answers):
        """The least freshness of `answers`: each is capped by the life of its URLs (client.py)."""
        return Freshness.least(a.freshness for a in answers)

    def _get(self, path, params=None, not_found=None, tag=None):
        """A 200 answer. 403 and 404 (and a 400 about our input) raise `not_found` when given; any other
        refusal is the upstream failing us."""
        answer = self._client.get(path, params, tag)
        if answer.status == 200:
            return answer
        if answer.status in (400, 403, 404) and not_found:
            raise not_found(f"upstream answered {answer.status}: {_detail(answer.json)}")
        raise UpstreamError("unavailable", f"Acquia DAM refused the request ({answer.status}: {_detail(answer.json)}).",
                            answered=True, status=answer.status)


def tag(key):
    """The tag of every cached answer of one folder's gallery (its product or category key)."""
    return f"acquia_dam:folder:{key}"


def asset_tag(media_id):
    """The tag of medium(media_id)'s cached answers: the asset's and its folder's."""
    return f"acquia_dam:asset:{media_id}"


def _detail(body):
    if isinstance(body, dict):
        return str(body.get("error_description") or body.get("message") or body.get("error") or "")[:200]
    return ""


def _served(asset, aid, anchor):
    """Whether a walk that last served `anchor` already passed `asset` (datecreated descending)."""
    if anchor is None:
        return False
    stamp = normalize.timestamp(asset.get("datecreated"))
    if stamp is None:
        return aid in anchor[1]
    return stamp > anchor[0] or (stamp == anchor[0] and aid in anchor[1])


def _after(anchor, asset, aid):
    stamp = normalize.timestamp(asset.get("datecreated"))
    if stamp is None:
        return anchor
    if anchor is not None and stamp == anchor[0]:
        return stamp, (anchor[1] + [aid])[-MAX_TIED:]
    return stamp, [aid]


def _state(folder_id, offset, skip, anchor):
    return {"f": folder_id, "o": offset, "s": skip, "t": anchor[0] if anchor else None,
            "ids": list(anchor[1]) if anchor else []}


def _resume(state, folder_id):
    """Check a continuation state against the listing it claims to continue."""
    if not isinstance(state, dict) or set(state) != STATE_KEYS:
        raise InvalidState("not a continuation state of this source")
    offset, skip, stamp, ids = state["o"], state["s"], state["t"], state["ids"]
    if (state["f"] != folder_id or any(isinstance(v, bool) or not isinstance(v, int) for v in (offset, skip))
            or not 0 <= offset <= 10**7 or not 0 <= skip <= PAGE
            or not (stamp is None or (isinstance(stamp, (int, float)) and not isinstance(stamp, bool)))
            or not isinstance(ids, list) or len(ids) > MAX_TIED or not all(is_id(i) for i in ids)
            or (stamp is None) != (not ids)):
        raise InvalidState("the continuation state does not belong to this listing")
    return offset, skip, ((float(stamp), list(ids)) if stamp is not None else None)

"""The change feed: `GET /notifications` (newest first), polled by the worker (Source.changes), turned
into the keys of the galleries whose folders changed, and the assets whose own answers (medium())
are forgotten.

The feed is the API seat's (it must be subscribed to the product folders) and has no "since" parameter,
so the id of the newest notification read is kept in Redis, and each poll reads pages until it meets
it. A notification names a folder (asset_created, asset_deleted: the folder, its `subitems` the
assets) or an asset (asset_property, asset_version: its current folder is read from the asset); the
folders' clientfolderids are the keys. A move is an asset_property whose `subitems` are the folder
left and the folder entered (the document is silent on moves: see docs/sandbox.md), so both
galleries go. One poll per interval for the whole deployment: whoever takes the interval's lock polls.

Not seen: a move notified without its folders in `subitems` names only the asset, whose current
folder is the new one, so the old gallery drops it when its answers expire (ACQUIA_DAM_EXPIRE_AFTER),
as it would without a feed.
"""
import logging

import redis

from ...media import changes
from ...media.models import UpstreamError
from . import normalize
from .catalogue import asset_tag

log = logging.getLogger(__name__)

LAST_KEY = "gallery:acquia_dam:notifications:last"  # the newest notification id handled
LOCK_KEY = "gallery:acquia_dam:notifications:poll"
PAGE = 100
MAX_PAGES = 10  # a poll reads at most this many pages; older changes are left to expiry
LOOKUP = 50  # ids per /assets/list or /folders/list call
FOLDER_ACTIONS = {"asset_created", "asset_deleted", "asset_property", "asset_version"}


class ChangeFeed:
    def __init__(self, client, catalogue, redis_client, interval=60):
        self._client, self._catalogue, self._redis, self._interval = client, catalogue, redis_client, interval

    def __call__(self):
        """The keys whose galleries changed since the last poll (the changed assets' own answers are
        forgotten here), or [] when it is not this process's turn."""
        try:
            if not self._redis.set(LOCK_KEY, "1", nx=True, ex=max(1, int(self._interval))):
                return []
            last = self._redis.get(LAST_KEY)
        except redis.RedisError:
            return []
        last = int(last) if last and last.isdigit() else None
        try:
            fresh, newest = self._unread(last)
            keys, media = self._changed(fresh)
        except UpstreamError as exc:
            log.info("acquia_dam: change feed not read (%s)", exc)
            return []
        # The first poll forgets nothing: what happened before is already in any fresh answer or not.
        # The rest is forgotten before the place is saved, so that a Redis error leaves it for the next poll.
        if last is not None:
            for media_id in media:
                self._catalogue.forget_medium(media_id)
            if media:  # every process's memos forget (the galleries' invalidation announces it too)
                changes.announce(self._redis, asset_tag(media[0]))
        if last is None or (newest is not None and newest > last):
            self._redis.set(LAST_KEY, str(newest or 0))  # "0": read once, the feed was empty
        return sorted(keys) if last is not None else []

    def _unread(self, last):
        """The notifications newer than `last` and the newest id seen."""
        fresh, newest = [], None
        for page in range(MAX_PAGES):
            answer = self._client.get_uncached("/notifications", {"limit": PAGE, "offset": page * PAGE})
            if answer.status != 200:
                raise UpstreamError("unavailable", f"notifications answered {answer.status}", answered=True)
            body = answer.json if isinstance(answer.json, dict) else {}
            items = [n for n in body.get("notifications") or [] if isinstance(n, dict)]
            for item in items:
                nid = normalize.count(item.get("id"))
                if nid is None:
                    continue
                newest = nid if newest is None else max(newest, nid)
                if last is not None and nid <= last:
                    return fresh, newest
                fresh.append(item)
            if last is None or len(items) < PAGE:
                break
        return fresh, newest

    def _changed(self, notifications):
        """(The keys of the folders changed, the ids of the assets changed) the notifications name."""
        folders, assets, media = set(), set(), set()
        for item in notifications:
            if item.get("action") not in FOLDER_ACTIONS:
                continue
            source = item.get("source") if isinstance(item.get("source"), dict) else {}
            subitems = item.get("subitems") if isinstance(item.get("subitems"), list) else []
            if source.get("type") == "asset":  # its folder is read from it, below
                assets.update(_ids([source], "asset"))
            folders.update(_ids([source, *subitems], "folder"))
            media.update(_ids([source, *subitems], "asset"))
        assets = sorted(assets)
        for i in range(0, len(assets), LOOKUP):
            for asset in self._list("/assets/list", assets[i:i + LOOKUP]):
                folder = normalize.folder_id_of(asset)
                if folder:
                    folders.add(folder)
        keys, folders = set(), sorted(folders)
        for i in range(0, len(folders), LOOKUP):
            for folder in self._list("/folders/list", folders[i:i + LOOKUP]):
                key = folder.get("clientfolderid")
                if isinstance(key, str) and key:
                    keys.add(key)
        return keys, sorted(media)

    def _list(self, path, ids):
        answer = self._client.get_uncached(path, {"ids": ",".join(ids)})
        if answer.status != 200:
            raise UpstreamError("unavailable", f"{path} answered {answer.status}", answered=True)
        return [x for x in answer.json if isinstance(x, dict)] if isinstance(answer.json, list) else []


def _ids(things, kind):
    """The ids of the `kind` ("asset", "folder") among a notification's source and subitems."""
    return {i for i in (normalize.asset_id(t.get("id")) for t in things
                        if isinstance(t, dict) and t.get("type") == kind) if i}

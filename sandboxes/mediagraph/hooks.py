"""Webhook events: recorded as would-be deliveries (`/_sandbox/webhooks`), POSTed for real with --deliver.

The documents name the events but not the payload; the sandbox's payload is a choice (docs/sandbox.md)."""
import threading

import requests

from . import render

EVENTS = ("asset.created", "asset.updated", "asset.deleted", "asset.restored", "collection.updated")


def _matches(st, w, event: str, asset=None, collection=None) -> bool:
    if not w.enabled or event not in w.events:
        return False
    if w.asset_group_id is None:
        return True
    if collection is not None:
        return collection.id == w.asset_group_id
    grp = st.groups.get(w.asset_group_id)
    return grp is not None and (asset.id in grp.assets or asset.storage_folder_id == grp.id)


def record(sb, st, event: str, asset=None, collection=None) -> None:
    now = sb.clock.now()
    payload = {"event": event, "created_at": render.iso(now), "organization_id": sb.options.organization_id}
    if asset is not None:
        payload["asset"] = {"id": asset.id, "guid": asset.guid,
                            "collection_ids": [x.id for x in st.collections_of(asset)]}
    if collection is not None:
        payload["collection"] = {"id": collection.id, "name": collection.name}
    for w in list(st.webhooks.values()):
        if not _matches(st, w, event, asset, collection):
            continue
        delivery = {"webhook_id": w.id, "url": w.url, "event": event, "payload": payload, "status": None,
                    "time": render.iso(now)}
        with sb.lock:
            st.deliveries.append(delivery)
        if sb.options.deliver:
            threading.Thread(target=_deliver, args=(delivery,), daemon=True).start()


def _deliver(delivery: dict) -> None:
    delivery["status"] = post(delivery["url"], delivery["payload"])


def post(url: str, payload: dict) -> int | None:
    try:
        return requests.post(url, json=payload, timeout=5).status_code
    except requests.RequestException:
        return None

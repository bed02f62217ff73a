"""The webhook receiver: POST /webhooks/mediagraph/<secret> (MEDIAGRAPH_WEBHOOK_SECRET).

Mediagraph documents the events (asset.created, asset.updated, asset.deleted, asset.restored,
collection.updated) but neither their payload nor a signature, so a delivery is only a hint:
authenticated by the secret in its URL, it makes us forget the cached galleries of the collections
it names (asset.collection_ids, collection.id; by id, through the collections we looked up) and
the asset's own answer. The next request reads Mediagraph again; nothing in the payload is served.
"""
import hmac
import logging

from flask import Blueprint, jsonify, request

from ...errors import ApiError
from ...media import changes, observe
from . import normalize

log = logging.getLogger(__name__)

EVENTS = ("asset.created", "asset.updated", "asset.deleted", "asset.restored", "collection.updated")
MAX_IDS = 100


def blueprint(secret, catalogue, redis_client):
    bp = Blueprint("mediagraph_webhooks", __name__)

    @bp.post("/webhooks/mediagraph/<given>")
    def receive(given):
        if not hmac.compare_digest(given.encode(), secret.encode()):
            raise ApiError(404, "not_found", "The requested URL was not found on the server.")
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise ApiError(400, "invalid_parameter", "The body is not a JSON object.", "body")
        event = str(body.get("event") or body.get("type") or "")
        observe.count("mediagraph_webhooks_total")
        keys, assets = [], []
        if event in EVENTS:
            collection_ids, assets = _subjects(body)
            keys = catalogue.keys_of(collection_ids)
            for key in keys:
                catalogue.invalidate(key)
                changes.announce(redis_client, f"product:{key}")
            for asset_id in assets:
                catalogue.forget_medium(asset_id)
            if assets and not keys:
                changes.announce(redis_client, f"mediagraph:asset:{assets[0]}")
        log.info("mediagraph webhook %s: %d galleries and %d assets forgotten", event[:40] or "(none)",
                 len(keys), len(assets))
        response = jsonify({"event": event[:40], "invalidated": len(keys)})
        response.headers["Cache-Control"] = "no-store"
        return response

    return bp


def _subjects(body):
    """(collection ids, asset ids) a delivery names, from the payload's `asset` or `collection`."""
    collections, assets = [], []
    asset, collection = body.get("asset"), body.get("collection")
    if isinstance(asset, dict):
        assets.append(normalize.asset_id(asset.get("id")))
        ids = asset.get("collection_ids")
        collections += ids if isinstance(ids, list) else []
    if isinstance(collection, dict):
        collections.append(collection.get("id"))
    return ([str(c) for c in collections[:MAX_IDS] if normalize.asset_id(c)],
            [a for a in assets if a])

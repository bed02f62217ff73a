"""The Acquia DAM sandbox's own operator endpoints: catalogue, moderation of the review folder, tokens and
brand assets added "by a curator" (reset, requests, clock and faults come from sandboxes.common)."""
import random

from flask import jsonify, request

from ..common.operator import blueprint, problem, sandbox
from . import shapes
from .catalogue import REVIEW_FOLDER, _key
from .store import Asset

bp = blueprint()
APPROVED_NOTE = "Approved by the sandbox operator"


def _ctx():
    sb = sandbox()
    return shapes.Ctx(sb.state, sb.clock.now(), shapes.media_host(), None)


@bp.get("/catalogue")
def catalogue():
    st = sandbox().state
    cfg, fx = st.config, st.fixtures
    products = {f.clientfolderid: {"id": f.id, "media": sum(st.publishable(a) for a in st.folder_assets(f.id))}
                for f in st.folders.values() if f.clientfolderid and f.status == "active"}
    hidden = sorted((a.id for a in st.assets.values() if not st.publishable(a)), key=int)
    review = st.folders[REVIEW_FOLDER]
    return jsonify({
        "credentials": {"ACQUIA_DAM_API_URL": request.host_url.rstrip("/"), "ACQUIA_DAM_CLIENT_ID": cfg.client_id,
                        "ACQUIA_DAM_CLIENT_SECRET": cfg.client_secret, "ACQUIA_DAM_USERNAME": cfg.username,
                        "ACQUIA_DAM_PASSWORD": cfg.password, "ACQUIA_DAM_REVIEW_FOLDER": review.id,
                        # Thumbnails and presigned uploads are served by the sandbox itself, over http.
                        "ACQUIA_DAM_UPGRADE_HTTP": "1" if cfg.https else "0", "ACQUIA_DAM_UPLOAD_HOSTS": request.host,
                        "ACQUIA_DAM_UPLOAD_PREFIX": "" if cfg.upload_prefix == "" else "/ws",
                        **({"ACQUIA_DAM_EXPIRE_AFTER": str(cfg.max_age)} if cfg.max_age is not None else {})},
        "products": products,
        "hidden_media": hidden,
        "inactive_products": sorted(f.clientfolderid for f in st.folders.values()
                                    if f.clientfolderid and f.status != "active"),
        "review_folder": {"id": review.id, "required_fields": list(review.required_fields)},
        "video_media": fx["videos"], "hostile_media": fx["hostile"], "sizeless_media": fx["sizeless"],
        "lightbox": next(iter(st.lightboxes)),
        "upload_prefix": cfg.upload_prefix,
    })


def _queue(st) -> list[Asset]:
    return [a for a in st.assets.values() if a.folder_id == REVIEW_FOLDER and a.status in ("onhold", "inactive")
            and not a.reviewed]


@bp.get("/moderation")
def moderation():
    """The review folder's undecided assets, with the required fields still missing and their product."""
    st, c = sandbox().state, _ctx()
    return jsonify({"media": [{**shapes.asset(c, a), "missing": [f for f in a.requires if not a.xmp.get(f)],
                               "product": a.xmp.get("customfield1")} for a in _queue(st)]})


@bp.post("/moderation/<asset_id>/<decision>")
def moderate(asset_id, decision):
    """approve: fill the required metadata as a curator would, set active and move the asset to its
    product's folder (the body's {"folder": clientfolderid or id}, else XMP customfield1).
    reject: set inactive; it stays in the review folder."""
    if decision not in ("approve", "reject"):
        return problem(404, f"unknown decision {decision!r}: use approve or reject")
    sb = sandbox()
    with sb.lock:
        st = sb.state
        a = next((a for a in _queue(st) if a.id == asset_id), None)
        if a is None:
            return problem(404, f"no asset {asset_id} waiting in the review folder")
        if decision == "approve":
            body = request.get_json(silent=True) or {}
            target = str(body.get("folder") or a.xmp.get("customfield1") or "")
            folder = st.folder(target, by_client_id=True) or st.folders.get(target)
            if folder is None or folder.id == REVIEW_FOLDER:
                return problem(400, f"no product folder {target!r}: send {{\"folder\": clientfolderid or id}}")
            a.xmp.update({f: APPROVED_NOTE for f in a.requires if not a.xmp.get(f)})
            moved = st.moves(a, folder)
            a.status, a.folder_id = "active", folder.id
        else:
            a.status, moved = "inactive", None
        a.reviewed, a.datemodified = True, sb.clock.now()
        st.notify(sb.clock.now(), "asset_property", {"type": "asset", "id": a.id, "name": a.name}, moved)
    return jsonify({"media": shapes.asset(_ctx(), a)})


@bp.post("/assets")
def add_assets():
    """A curator uploads brand photos into a product folder now: {"folder": clientfolderid or id,
    "count": n}. They are the newest assets, so offsets of a walk under way drift (as they really do)."""
    sb = sandbox()
    body = request.get_json(silent=True) or {}
    count = body.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 100:
        return problem(400, '"count" must be an integer 1-100')
    with sb.lock:
        st, now = sb.state, sb.clock.now()
        target = str(body.get("folder", ""))
        folder = st.folder(target, by_client_id=True) or st.folders.get(target)
        if folder is None:
            return problem(400, f"no folder {target!r}")
        added = []
        for i in range(count):
            aid = st.new_asset_id()
            added.append(st.add(Asset(aid, folder.id, "active", "image", f"curated_{aid}.jpg", f"Curated {aid}", "",
                                      "jpg", now + i * 0.001, "9751", _key_for(aid), width=1200, height=900,
                                      xmp={"customfield1": folder.clientfolderid or ""})))
        st.notify(now, "asset_created", {"type": "folder", "id": folder.id, "name": folder.name},
                  [{"type": "asset", "id": a.id} for a in added])
    return jsonify({"assets": [a.id for a in added]}), 201


def _key_for(asset_id: str) -> str:
    return _key(random.Random(asset_id))


@bp.get("/tokens")
def tokens():
    return jsonify(_token_summary())


@bp.post("/tokens/expire")
def expire_tokens():
    """Every access token issued so far stops working now (the next call is a 401); with
    {"refresh": true} the refresh tokens too, so only the password grant gets a new one."""
    sb = sandbox()
    body = request.get_json(silent=True) or {}
    with sb.lock:
        now = sb.clock.now()
        st = sb.state
        st.access_tokens = {t: min(e, now) for t, e in st.access_tokens.items()}
        if body.get("refresh"):
            st.refresh_tokens = {}
    return jsonify(_token_summary())


def _token_summary() -> dict:
    sb = sandbox()
    now, st = sb.clock.now(), sb.state
    return {"grants": dict(st.grants), "live_access_tokens": sum(e > now for e in st.access_tokens.values()),
            "live_refresh_tokens": sum(e > now for e in st.refresh_tokens.values())}

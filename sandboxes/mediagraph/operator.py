"""The Mediagraph sandbox's own operator endpoints: catalogue, moderation, the PAT switch, recorded
webhooks and comments (reset/requests/clock/faults come from sandboxes.common.operator)."""
from flask import g, jsonify, request

from ..common.operator import blueprint, problem, sandbox
from . import api, render

bp = blueprint()


def publishable(st, a, now: float) -> bool:
    """What a gallery may show: processed, unexpired, untrashed, not NSFW, an image or video, submitted."""
    return (a.state(now) == "processed" and not api.expired_now(a, now) and a.trashed_at is None
            and not a.nsfw_detected and a.type in ("Image", "Video") and a.submitted)


@bp.get("/catalogue")
def catalogue():
    sb = sandbox()
    st, fx, now = sb.state, sb.state.fixtures, sb.clock.now()
    base = request.host_url.rstrip("/")
    products = {key: {"id": str(gid), "media": sum(1 for aid in st.groups[gid].assets
                                              if publishable(st, st.assets[aid], now))}
                for key, gid in fx["products"].items()}
    never = set(fx["hidden"].values())
    for gid in (fx["decoys"]["outside_parent"], fx["decoys"]["child"]):
        never |= set(st.groups[gid].assets)
    return jsonify({
        "organization_id": sb.options.organization_id,
        "credentials": {
            "MEDIAGRAPH_API_URL": base, "MEDIAGRAPH_TOKEN": sb.options.token,
            "MEDIAGRAPH_ORGANIZATION_ID": str(sb.options.organization_id),
            "MEDIAGRAPH_PRODUCTS_PARENT_ID": str(fx["parent"]),
            "MEDIAGRAPH_CONTRIBUTION_ID": str(fx["contribution"]),
            # Every preview URL is valid at least url_ttl/2 after it was served (docs/sandbox.md).
            "MEDIAGRAPH_URL_TTL": str(sb.options.url_ttl // 2) if sb.options.url_ttl else "0",
            **({"MEDIAGRAPH_CACHE_SECONDS": str(sb.options.max_age)} if sb.options.max_age is not None else {}),
        },
        "products": products,
        "hidden_media": [str(i) for i in sorted(never)],
        "hidden": fx["hidden"],
        "decoys": fx["decoys"],
        "video_media": fx["video_media"], "hostile_media": fx["hostile_media"],
        "demo_product": fx["demo_key"], "odd_product": fx["odd_key"],
        "parent_collection": fx["parent"], "archive_collection": fx["archive"],
        "contribution": fx["contribution"], "review_folder": fx["review_folder"], "library": fx["library"],
        "workflow_steps": {st.groups[s.asset_group_id].name: s.id for s in st.steps.values()},
        "upload_secrets": dict(render.UPLOAD_SECRETS),
        "url_ttl": sb.options.url_ttl, "processing_seconds": sb.options.processing_seconds,
    })


def _queue(st, now: float) -> list:
    """Contributed assets waiting for a reviewer: uploaded, not rejected, not yet submitted into a product."""
    products = set(st.fixtures["products"].values())
    out = []
    for a in st.assets.values():
        if a.contribution_id is None or a.trashed_at is not None or a.state(now) == "pending":
            continue
        if a.submitted and any(gr.id in products for gr in st.collections_of(a)):
            continue
        out.append(a)
    return out


@bp.get("/moderation")
def moderation():
    sb = sandbox()
    g.state = sb.state
    c = api.ctx()
    return jsonify({"media": [_entry(c, a) for a in _queue(sb.state, c.now)]})


def _entry(c, a) -> dict:
    body = render.asset(c, a)
    up = c.state.uploads.get(a.upload_id)
    body["upload"] = {"id": up.id, "guid": up.guid, "name": up.name, "note": up.note} if up else None
    return body


@bp.post("/moderation/<ref>/<decision>")
def moderate(ref, decision):
    if decision not in ("approve", "reject"):
        return problem(404, f"unknown decision {decision!r}: use approve or reject")
    sb = sandbox()
    with sb.lock:
        st = g.state = sb.state
        a = st.asset(ref)
        now = sb.clock.now()
        if a is None or a not in _queue(st, now):
            return problem(404, f"no asset {ref} waiting for review")
        if decision == "reject":
            a.trashed_at = a.updated_at = now
            st.rejected.add(a.id)
            api.changed("asset.deleted", asset=a)
            return jsonify({"media": render.asset(api.ctx(), a)})
        grp = _target(st, a, request.get_json(silent=True) or {})
        if grp is None:
            return problem(400, 'send {"collection_id": <product collection>} (the upload name names no product)')
        if a.state(now) == "processing_error":
            return problem(409, "this asset failed processing and cannot be approved")
        if a.fixed_state is None:
            a.fixed_state = "processed"  # an approval finishes processing at once (docs/sandbox.md)
        api.approve(st, [a], grp)
        return jsonify({"media": render.asset(api.ctx(), a)})


@bp.post("/assets/<ref>/fail_processing")
def fail_processing(ref):
    """Mediagraph's processors reject this uploaded asset (a file they cannot read, whatever its bytes):
    its processing, once over, ends in processing_error."""
    sb = sandbox()
    with sb.lock:
        st = g.state = sb.state
        a = st.asset(ref)
        if a is None or a.upload_id is None:
            return problem(404, f"no uploaded asset {ref}")
        if a.state(sb.clock.now()) == "processed":
            return problem(409, "this asset is processed already")
        a.fail_processing = True
        return jsonify({"media": render.asset(api.ctx(), a)})


def _target(st, a, body: dict):
    products = st.fixtures["products"]
    gid = body.get("collection_id")
    if gid is not None:
        return st.groups.get(int(gid)) if str(gid).isdigit() and int(gid) in products.values() else None
    up = st.uploads.get(a.upload_id)
    if up is not None and up.name in products:
        return st.groups[products[up.name]]
    return None


@bp.post("/pat/disable")
def pat_disable():
    body = request.get_json(silent=True) or {}
    sb = sandbox()
    sb.state.pat_disabled_note = str(body.get("note") or "Disabled by staff")
    return jsonify({"disabled": True, "note": sb.state.pat_disabled_note})


@bp.post("/pat/enable")
def pat_enable():
    sandbox().state.pat_disabled_note = None
    return jsonify({"disabled": False})


@bp.get("/webhooks")
def deliveries():
    st = sandbox().state
    return jsonify({"webhooks": [render.webhook(w) for w in st.webhooks.values()], "deliveries": st.deliveries})


@bp.delete("/webhooks")
def clear_deliveries():
    sandbox().state.deliveries = []
    return jsonify({"deliveries": []})


@bp.get("/comments")
def comments():
    return jsonify({"comments": sandbox().state.comments})

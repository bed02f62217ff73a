"""The operator endpoints under /_sandbox/: no key, never logged."""
from flask import Blueprint, current_app, jsonify, request

from . import faults, hal
from .catalogue import CUSTOMER_ID, OTHER_CUSTOMER_ID

bp = Blueprint("operator", __name__, url_prefix="/_sandbox")


def sandbox():
    return current_app.extensions["sandbox"]


def problem(status: int, message: str):
    response = jsonify({"error": message})
    response.status_code = status
    return response


@bp.get("/catalogue")
def catalogue():
    st = sandbox().state
    fx = st.fixtures

    def approved(stream_id):
        return sum(1 for mid in st.streams[stream_id].positions
                   if st.media[mid].status == "approved" and st.media[mid].listed)

    rights_media = [st.media[mid] for mid in st.streams[fx["rights"]].positions
                    if st.media[mid].status == "approved"]
    return jsonify({
        "customer_id": CUSTOMER_ID, "other_customer_id": OTHER_CUSTOMER_ID, "api_key_customer": st.key_customer_id,
        "streams": {key: {"id": sid, "status": st.streams[sid].gallery_status, "media": approved(sid)}
                    for key, sid in fx["streams"].items()},
        "tag_stream": fx["tag_stream"], "inactive_stream": fx["inactive_stream"],
        "categories": fx["categories"], "users": fx["users"],
        "widget_instance": fx["widget_instance"], "widget_style": fx["widget_style"],
        "video_media": fx["video_media"], "hostile_media": fx["hostile_media"],
        "multi_product_media": fx["multi_product_media"],
        "rights": {"stream": fx["rights"], "with_rights": sum(m.rights for m in rights_media),
                   "without_rights": sum(not m.rights for m in rights_media)},
        "other_customer": fx["other_customer"],
    })


@bp.post("/reset")
def reset():
    sandbox().reset()
    return jsonify({"reset": True})


@bp.get("/requests")
def requests_log():
    prefix = request.args.get("path_prefix", "")
    with sandbox().lock:
        entries = [e for e in sandbox().requests if e["path"].startswith(prefix)]
    return jsonify({"requests": entries})


@bp.delete("/requests")
def clear_requests():
    with sandbox().lock:
        sandbox().requests = []
    return jsonify({"requests": []})


@bp.get("/moderation")
def moderation():
    sb = sandbox()
    ctx = hal.Ctx(sb.state, request.host, sb.api_key)
    queue = [m for m in sb.state.media.values() if m.status in ("pending", "reported")]
    return jsonify({"media": [hal.medium(ctx, m, hal.MediaOptions(include_inactive=True)) for m in queue]})


@bp.post("/moderation/<media_id>/<decision>")
def moderate(media_id, decision):
    if decision not in ("approve", "reject"):
        return problem(404, f"unknown decision {decision!r}: use approve or reject")
    sb = sandbox()
    with sb.lock:
        m = sb.state.media.get(media_id)
        if m is None or not m.listed:
            return problem(404, f"no media {media_id}")
        if decision == "approve":
            m.status = "approved"
            if m.date_published is None:
                m.date_published = sb.clock.now()
        else:
            m.status = "rejected"
        sb.state.version += 1
    ctx = hal.Ctx(sb.state, request.host, sb.api_key)
    return jsonify({"media": hal.medium(ctx, m, hal.MediaOptions(include_inactive=True))})


@bp.route("/clock", methods=["GET", "POST"])
def clock():
    sb = sandbox()
    if request.method == "POST":
        body = request.get_json(silent=True)
        advance = body.get("advance") if isinstance(body, dict) else None
        if isinstance(advance, bool) or not isinstance(advance, (int, float)):
            return problem(400, 'send {"advance": seconds}')
        with sb.lock:
            sb.clock.offset += advance
    return jsonify({"now": sb.clock.iso(), "offset": sb.clock.offset})


@bp.get("/faults")
def list_faults():
    sb = sandbox()
    return jsonify({"faults": [faults.public(sb, f) for f in faults.active(sb)]})


@bp.post("/faults")
def add_fault():
    try:
        fault = faults.add(sandbox(), request.get_json(silent=True))
    except faults.FaultSpecError as e:
        return problem(400, str(e))
    response = jsonify(fault)
    response.status_code = 201
    return response


@bp.delete("/faults")
def clear_faults():
    with sandbox().lock:
        sandbox().faults = []
    return jsonify({"faults": []})

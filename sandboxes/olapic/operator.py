"""The Olapic sandbox's own operator endpoints: its catalogue and the moderation queue (the generic
ones, reset/requests/clock/faults, come from sandboxes.common.operator)."""
from flask import jsonify, request

from ..common.operator import blueprint, problem, sandbox
from . import hal
from .catalogue import CUSTOMER_ID, OTHER_CUSTOMER_ID

bp = blueprint()


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
        # The same three keys in every sandbox's catalogue, for the shared contract suite:
        "credentials": {"OLAPIC_API_KEY": sandbox().api_key, "OLAPIC_API_URL": request.host_url.rstrip("/")},
        "products": {s.tag_key: {"id": s.id, "media": approved(s.id)} for s in st.streams.values()
                     if s.gallery_status == "OK" and s.customer_id == CUSTOMER_ID},
        "hidden_media": sorted({mid for s in st.streams.values() for mid in s.positions
                                if st.media[mid].status != "approved"}, key=int),
    })


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

"""The MomaPIX sandbox's own operator endpoints: catalogue, moderation and live sessions (the generic
ones, reset/requests/clock/faults, come from sandboxes.common.operator)."""
from flask import jsonify, request

from ..common.operator import blueprint, problem, sandbox
from . import resources, sessions
from .catalogue import FRACTIONAL_ID, NAME, USERNAME

bp = blueprint()


def _publishable(it) -> bool:
    return it.section == "public" and it.archive in ("photo", "video")


@bp.get("/catalogue")
def catalogue():
    sb = sandbox()
    st, fx = sb.state, sb.state.fixtures
    products, hidden = {}, set()
    for lb in st.lightboxes.values():
        if lb.owner != USERNAME or lb.description not in fx["products"]:
            continue
        items = [st.items[i] for i in lb.item_ids]
        products[lb.description] = {"id": lb.id, "media": sum(_publishable(i) for i in items)}
        hidden |= {i.id for i in items if not _publishable(i)}
    hidden |= {i.id for i in st.items.values() if i.section != "public" or i.archive not in ("photo", "video")}
    # The settings the service needs for this sandbox: its credentials, and what this installation's
    # configuration would tell an operator (rendition boxes, URL lifetime, how long to keep answers).
    settings = {"MOMAPIX_API_URL": request.host_url.rstrip("/"), "MOMAPIX_API_KEY": sb.api_key,
                "MOMAPIX_USERNAME": USERNAME, "MOMAPIX_PASSWORD": sb.password,
                "MOMAPIX_THUMB_BOX": st.renditions.boxes["thumb_m"], "MOMAPIX_PREVIEW_BOX": st.renditions.boxes["thumb_l"]}
    if sb.url_ttl:
        settings["MOMAPIX_URLS_VALID_FOR"] = sb.url_ttl
    if sb.cache_seconds:
        settings["MOMAPIX_CACHE_SECONDS"] = sb.cache_seconds
    return jsonify({
        # The same three keys in every sandbox's catalogue, for the shared contract suite.
        "credentials": settings,
        "products": products,
        "hidden_media": sorted(hidden),
        "user": {"username": USERNAME, "name": NAME},
        "fractional_id": FRACTIONAL_ID,
        "video_media": fx["video_media"],
        "sizeless_media": fx["sizeless_media"],
        "hostile_media": fx["hostile_media"],
        "near_miss_lightboxes": fx["near_misses"],
        "other_user_lightbox": fx["other_user_lightbox"],
        "expires_in": sb.expires_in,
        "signed_urls": bool(sb.url_ttl),
    })


def _item(it) -> dict:
    return resources.item(it, {"all"})


@bp.get("/moderation")
def moderation():
    """Items waiting in the private section (uploads a curator has not published yet)."""
    st = sandbox().state
    return jsonify({"media": [_item(it) for it in st.items.values() if it.section == "private"]})


@bp.post("/moderation/<item_id>/<decision>")
def moderate(item_id, decision):
    """approve: publish the item and add it to the lightbox of its product_code (as a curator does);
    reject: move it to the trash."""
    if decision not in ("approve", "reject"):
        return problem(404, f"unknown decision {decision!r}: use approve or reject")
    sb = sandbox()
    with sb.lock:
        st = sb.state
        it = st.item(item_id)
        if it is None:
            return problem(404, f"no item {item_id}")
        it.updated = sb.clock.now()
        if decision == "reject":
            it.section = "trash"
        else:
            it.section = "public"
            product = it.extra.get("product_code")
            lb = next((lb for lb in st.lightboxes.values() if lb.owner == USERNAME and lb.description == product), None)
            if lb is not None and it.id not in lb.item_ids:
                lb.item_ids.append(it.id)
    return jsonify({"media": _item(it)})


@bp.get("/sessions")
def list_sessions():
    """Every session ever opened since the last reset, oldest first; `live` counts the usable ones."""
    sb = sandbox()
    with sb.lock:
        all_sessions = sorted(sb.state.sessions.values(), key=lambda s: s.created)
        for s in all_sessions:
            if s.ended is None and sb.clock.now() >= s.expires:
                sessions.end(s, s.expires, "expired")
        listed = [sessions.public(sb, s) for s in all_sessions]
    return jsonify({"sessions": listed, "live": sum(s["ended"] is None for s in listed)})


@bp.post("/sessions/<action>")
def end_sessions(action):
    """expire: the live sessions (or the one named by {"token"}) run out now; supersede: they end as if
    another client had opened a new session with the same Apikey."""
    if action not in ("expire", "supersede"):
        return problem(404, f"unknown action {action!r}: use expire or supersede")
    body = request.get_json(silent=True) or {}
    token = body.get("token") if isinstance(body, dict) else None
    sb = sandbox()
    with sb.lock:
        now = sb.clock.now()
        for s in sb.state.sessions.values():
            if s.ended is None and token in (None, s.token):
                if action == "expire":
                    s.expires = now
                    sessions.end(s, now, "expired")
                else:
                    sessions.end(s, now, "superseded")
    return list_sessions()

"""The REST API v2 endpoints: folders, assets, XMP, search, lightboxes, notifications, users, downloads
and the thumbnail files."""
import re
from urllib.parse import unquote, urlencode

from flask import Blueprint, Response, current_app, jsonify, request

from . import files, params, shapes
from .errors import ApiError, bad, not_found
from .store import XMP_FIELDS, Asset, Folder, stamp

bp = Blueprint("api", __name__)
DOWNLOAD_TTL = 60  # "The presigned url is valid only for 60 seconds"
SEARCH_FIELDS = ("customfield1", "language", "headline", "keyword", "other")
SEARCH_PARAMS = {"query", "folderid", "sortby", "sortdir", "limit", "offset", "types", "searchfield", "thumbnail_ttl"}
ASSET_EDITS = {"filename", "status", "name", "description", "folder", "sendNotificationsOff"}


def sandbox():
    return current_app.extensions["sandbox"]


def ctx() -> shapes.Ctx:
    sb = sandbox()
    return shapes.Ctx(sb.state, sb.clock.now(), shapes.media_host(), params.thumbnail_ttl(sb.state.config.default_thumbnail_ttl))


def _sorted(assets: list[Asset], p: dict) -> list[Asset]:
    if p["kinds"] is not None:
        assets = [a for a in assets if a.kind in p["kinds"]]
    key = {"filename": lambda a: (a.filename.lower(), int(a.id)), "filesize": lambda a: (a.filesize, int(a.id)),
           "datecreated": lambda a: (a.datecreated, int(a.id)),
           "datemodified": lambda a: (a.datemodified or a.datecreated, int(a.id))}[p["sortby"]]
    return sorted(assets, key=key, reverse=p["sortdir"] == "desc")


def _listing(assets: list[Asset]):
    p = params.listing(sandbox().state.config.clamp_limit)
    c = ctx()
    return jsonify(shapes.listing(c, _sorted(assets, p), p["offset"], p["limit"]))


def _asset(asset_id: str) -> Asset:
    a = sandbox().state.assets.get(asset_id)
    if a is None:
        raise not_found("Asset", asset_id)
    return a


# -- folders --------------------------------------------------------------------------------------
@bp.get("/folders")
def top_folders():
    c = ctx()
    return jsonify([shapes.folder(c, f) for f in c.state.folders.values() if f.parent == "0"])


@bp.route("/folders/<path:rest>", methods=["GET", "PUT", "DELETE"])
def folders(rest):
    """/folders/0, /folders/list?ids=, /folders/:id and /folders/:id/assets. A clientfolderid may hold
    "/" sent as %2F, so the segments are read from the raw request URI, then decoded once each."""
    raw = (request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or request.path).split("?")[0]
    segments = [unquote(s) for s in raw[len("/folders/"):].split("/")] if raw.startswith("/folders/") else []
    if segments == ["0"] and request.method == "GET":
        return top_folders()
    if segments == ["list"] and request.method == "GET":
        c = ctx()
        found = [c.state.folders[i] for i in params.ids(params.required("ids")) if i in c.state.folders]
        return jsonify([shapes.folder(c, f) for f in found])
    if len(segments) not in (1, 2) or (len(segments) == 2 and segments[1] != "assets") or not segments[0]:
        raise ApiError(404, "The requested resource was not found.")
    by_client_id = params.boolean("clientfolderid")
    if not by_client_id and not segments[0].isdigit():
        raise not_found("Folder", segments[0])
    st = sandbox().state
    f = st.folder(segments[0], by_client_id)
    if f is None:
        raise not_found("Folder", segments[0])
    if len(segments) == 2:
        if request.method != "GET":
            raise ApiError(405, "Method not allowed.")
        return _listing(st.folder_assets(f.id))
    if request.method == "DELETE":
        with sandbox().lock:
            for a in st.folder_assets(f.id):
                del st.assets[a.id]
            del st.folders[f.id]
        return Response(status=204)
    if request.method == "PUT":
        _edit_folder(f, params.body())
    return jsonify(shapes.folder(ctx(), f))


@bp.post("/folders")
def create_folder():
    data, st = params.body(), sandbox().state
    name, parent = data.get("name"), str(data.get("parent") or "0")
    if not isinstance(name, str) or not name:
        raise params.missing("name")
    if parent != "0" and parent not in st.folders:
        raise not_found("Folder", parent)
    with sandbox().lock:
        _check_client_id(data.get("clientfolderid"))
        fid = str(max(int(i) for i in st.folders) + 1)
        f = Folder(fid, parent, name, _status(data.get("status", "active")), sandbox().clock.now(), st.seat_user_id,
                   clientfolderid=data.get("clientfolderid") or None)
        st.folders[fid] = f
    response = jsonify(shapes.folder(ctx(), f))
    response.status_code = 201
    return response


def _status(value, allowed=("active", "inactive")) -> str:
    if value not in allowed:
        raise bad("status", " or ".join(allowed))
    return value


def _check_client_id(value, own=None) -> None:
    """clientfolderid "must be unique across all folders": a conflict is a 403, as documented."""
    if value is None:
        return
    if not isinstance(value, str):
        raise bad("clientfolderid", "a string")
    other = sandbox().state.folder(value, by_client_id=True)
    if other is not None and other is not own:
        raise ApiError(403, f'The clientfolderid "{value}" is already used by another folder.')


def _edit_folder(f, data: dict) -> None:
    with sandbox().lock:
        if "clientfolderid" in data:
            _check_client_id(data["clientfolderid"], own=f)
            f.clientfolderid = data["clientfolderid"] or None
        if "name" in data:
            f.name = str(data["name"])
        if "status" in data:
            f.status = _status(data["status"])


# -- assets ---------------------------------------------------------------------------------------
@bp.get("/assets/list")
def assets_list():
    c = ctx()
    return jsonify([shapes.asset(c, c.state.assets[i]) for i in params.ids(params.required("ids"))
                    if i in c.state.assets])


@bp.get("/assets/<int:asset_id>")
def get_asset(asset_id):
    return jsonify(shapes.asset(ctx(), _asset(str(asset_id))))


@bp.put("/assets/<int:asset_id>")
def edit_asset(asset_id):
    """Edit; activating an "onhold" asset whose required metadata is missing answers 409."""
    sb, a = sandbox(), _asset(str(asset_id))
    data = params.body()
    unknown = set(data) - ASSET_EDITS
    if unknown:
        raise ApiError(400, f"Unsupported parameters: {', '.join(sorted(unknown))}.")
    target = None
    if "folder" in data:  # the table says a long, the curl sends {"id": ...}: both are accepted
        folder = data["folder"]
        fid = str(folder.get("id") if isinstance(folder, dict) else folder)
        target = sb.state.folders.get(fid)
        if target is None:
            raise not_found("Folder", fid)
    with sb.lock:
        if "status" in data:
            _status(data["status"])
            missing = sb.state.missing(a)
            if data["status"] == "active" and missing:
                raise ApiError(409, "The asset requires metadata before it can be activated: " + ", ".join(missing))
        for name in ("filename", "name", "description"):
            if name in data:
                setattr(a, name, str(data[name]))
        if "status" in data:
            a.status = data["status"]
        moved = sb.state.moves(a, target)
        if target is not None:
            a.folder_id = target.id
        a.datemodified = sb.clock.now()
        if str(data.get("sendNotificationsOff", "0")) != "1":
            sb.state.notify(sb.clock.now(), "asset_property", {"type": "asset", "id": a.id, "name": a.name}, moved)
    return jsonify(shapes.asset(ctx(), a))


@bp.delete("/assets/<int:asset_id>")
def delete_asset(asset_id):
    sb, a = sandbox(), _asset(str(asset_id))
    with sb.lock:
        folder = sb.state.folders[a.folder_id]
        del sb.state.assets[a.id]
        sb.state.notify(sb.clock.now(), "asset_deleted", {"type": "folder", "id": folder.id, "name": folder.name},
                        [{"type": "asset", "id": a.id}])
    return Response(status=204)


@bp.route("/assets/<asset_ids>/metadatas/xmp", methods=["GET", "PUT"])
def asset_xmp(asset_ids):
    """XMP of one asset, or of up to 50 ("The limit is 50 assets"), then a list with "assetid"."""
    sb = sandbox()
    wanted = [_asset(i) for i in params.ids(asset_ids, limit=50)]
    if request.method == "PUT":
        if len(wanted) != 1:
            raise ApiError(400, "XMP can be edited for one asset at a time.")
        data = params.body()
        notify = str(data.pop("sendNotificationsOff", "0")) != "1"
        data.pop("replacekeywords", None)
        unknown = set(data) - XMP_FIELDS
        if unknown:
            raise ApiError(400, f"Unknown XMP fields: {', '.join(sorted(unknown))}.")
        a = wanted[0]
        with sb.lock:
            a.xmp.update({k: str(v) for k, v in data.items()})
            if notify:
                sb.state.notify(sb.clock.now(), "asset_property", {"type": "asset", "id": a.id, "name": a.name})
    if len(wanted) == 1:
        return jsonify(shapes.xmp(wanted[0]))
    return jsonify([{"assetid": a.id, **shapes.xmp(a)} for a in wanted])


@bp.get("/assets/<int:asset_id>/download")
def download(asset_id):
    """The raw file, or with geturl=1 {"url": ...}, a link valid for 60 seconds."""
    a = _asset(str(asset_id))
    for flag in ("sendNotificationsOff", "trackDownloadsOff", "geturl"):
        params.choice(flag, ("0", "1"))
    if request.args.get("geturl") == "1":
        sb = sandbox()
        path = f"/_dl/{a.key}"
        expires = int(sb.clock.now() + DOWNLOAD_TTL)
        scheme = "https://" if sb.state.config.https else "http://"
        return jsonify({"url": scheme + request.host + path + "?" +
                        urlencode({"Expires": expires, "Signature": files.sign(path, expires)})})
    return _original(a)


def _original(a: Asset) -> Response:
    if a.upload is not None:
        return Response(a.upload, content_type=a.upload_type or "application/octet-stream")
    return Response(files.jpeg(a, None), content_type="image/jpeg")


# -- search, lightboxes ---------------------------------------------------------------------------
@bp.get("/search")
def search():
    """"Only the parameters listed in this section are supported"; query is required; one searchfield."""
    unknown = set(request.args) - SEARCH_PARAMS
    if unknown:
        raise ApiError(400, f"Unsupported parameters: {', '.join(sorted(unknown))}.")
    if len(request.args.getlist("searchfield")) > 1:
        raise ApiError(400, "You may only search one Search Field at a time.")
    query = params.required("query").lower()
    field = params.choice("searchfield", SEARCH_FIELDS)
    folder_id = params.integer("folderid")
    st = sandbox().state

    def matches(a: Asset) -> bool:
        if field is not None:
            return query in a.xmp.get(field, "").lower()
        return any(query in text.lower() for text in (a.name, a.filename, a.description, *a.xmp.values()))

    found = [a for a in st.assets.values() if (folder_id is None or a.folder_id == str(folder_id)) and matches(a)]
    return _listing(found)


def _lightbox(c, box: dict) -> dict:
    return {"type": "lightbox", "id": box["id"], "name": box["name"], "description": box["description"],
            "project": box["project"], "numItems": str(len(box["asset_ids"])), "share": "false", "canedit": "true",
            "numCollaborators": "0", "numComments": "0", "user": shapes.mini_user(c.state.users[box["user_id"]])}


@bp.get("/lightboxes")
def lightboxes():
    c = ctx()
    return jsonify([_lightbox(c, box) for box in c.state.lightboxes.values()])


@bp.get("/lightboxes/<int:box_id>")
def lightbox(box_id):
    c = ctx()
    box = c.state.lightboxes.get(str(box_id))
    if box is None:
        raise not_found("Lightbox", str(box_id))
    return jsonify(_lightbox(c, box))


@bp.get("/lightboxes/<int:box_id>/assets")
def lightbox_assets(box_id):
    st = sandbox().state
    box = st.lightboxes.get(str(box_id))
    if box is None:
        raise not_found("Lightbox", str(box_id))
    return _listing([st.assets[i] for i in box["asset_ids"] if i in st.assets])


# -- notifications, users, account ----------------------------------------------------------------
@bp.get("/notifications")
def notifications():
    """Newest first; numbers as strings; last_read is when the feed was read before."""
    sb = sandbox()
    limit, offset = params.integer("limit", 20, low=1, high=100), params.integer("offset", 0)
    with sb.lock:
        st = sb.state
        newest = list(reversed(st.notifications))
        last_read, st.last_read = st.last_read, sb.clock.now()
    page = [{**{k: v for k, v in n.items() if k != "user_id"},
             "user": {**shapes.mini_user(st.users[n["user_id"]]), "status": "active"}}
            for n in newest[offset:offset + limit]]
    return jsonify({"last_read": stamp(last_read) if last_read else None, "offset": str(offset),
                    "limit": str(limit), "total": str(len(newest)), "notifications": page})


@bp.get("/users/me")
def me():
    st = sandbox().state
    u = st.users[st.seat_user_id]
    return jsonify({"type": "user", "id": u.id, "username": u.username, "first": u.first, "last": u.last,
                    "name": u.name, "email": u.email, "datecreated": "2025-10-09 20:34:36",
                    "lastlogin": stamp(sandbox().clock.now()), "company": "Acme", "country": "United States",
                    "groups": [{"type": "group", "id": "21", "name": "Admin", "role": "Admin"}]})


@bp.get("/subscription")
def subscription():
    return jsonify({"maxEndUsers": "125", "numEndUsers": 1, "maxPowerUsers": "125", "numPowerUsers": 1,
                    "maxUsers": "125", "url": "acme.webdamdb.com", "username": sandbox().state.config.username,
                    "planDiskSpace": "10000 MB", "currentDiskSpace": "361 MB", "activeUsers": "3",
                    "inactiveUsers": "0"})


# -- files (no bearer: signed URLs) ---------------------------------------------------------------
THUMB = re.compile(r"^(?:(100|150|220|310|550)th_sm_|md_)([A-Za-z0-9]+)\.jpg$")


@bp.get("/s/<name>")
@bp.get("/image_dir/<album>/<name>")
def thumbnail(name, album=None):
    m = THUMB.match(name)
    if m is None or (album is None) == name.startswith("md_"):
        raise ApiError(404, "The requested resource was not found.")
    sb = sandbox()
    a = sb.state.assets_by_key.get(m.group(2))
    if a is None or sb.state.assets.get(a.id) is not a:
        return _s3_error(404, "NoSuchKey", "The specified key does not exist.")
    if not files.valid(request.path, request.args.get("Expires"), request.args.get("Signature"), sb.clock.now(),
                       unsigned_ok=request.path in sb.state.unsigned_paths):
        return _s3_error(403, "AccessDenied", "Request has expired" if request.args.get("Expires") else "Access Denied")
    return Response(files.jpeg(a, int(m.group(1) or 550)), content_type="image/jpeg")


@bp.get("/_dl/<key>")
def signed_download(key):
    sb = sandbox()
    a = sb.state.assets_by_key.get(key)
    if a is None or sb.state.assets.get(a.id) is not a:
        return _s3_error(404, "NoSuchKey", "The specified key does not exist.")
    if not files.valid(request.path, request.args.get("Expires"), request.args.get("Signature"), sb.clock.now()):
        return _s3_error(403, "AccessDenied", "Request has expired")
    return _original(a)


def _s3_error(status: int, code: str, message: str) -> Response:
    """S3's XML error body (thumbnails, downloads and presigned uploads are served from a file store)."""
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>'
    return Response(body, status, content_type="application/xml")

""""Upload an asset (optimized)": generateupload, a PUT to the presigned URL with the same Content-Type,
then finishupload. The document writes the paths with and without a /ws prefix (Config.upload_prefix)."""
import hashlib
import io
import mimetypes
import secrets
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from PIL import Image

from . import files, params
from .api import _s3_error
from .errors import ApiError, bad, not_found
from .store import Asset, Upload

PRESIGNED_TTL = 300  # "a presigned url ... valid for 5 minutes"; the process lives as long (sandbox choice)
MAX_SIZE = 5 * 1024 ** 3  # "up to 5 GB"
ACCESS_KEY_ID = "AKIASANDBOXUPLOADS"
INTENTS = ("newversion", "replace")

bp = Blueprint("uploads", __name__)


def sandbox():
    return current_app.extensions["sandbox"]


def register(app: Flask, prefix_setting: str) -> None:
    """The two API steps under /ws, without it, or both; the presigned PUT path is always /_s3/<key>."""
    prefixes = {"both": ("/ws", ""), "/ws": ("/ws",), "": ("",)}[prefix_setting]
    for prefix in prefixes:
        name = prefix.strip("/") or "bare"
        app.add_url_rule(f"{prefix}/awss3/generateupload", f"generate_{name}", generate, methods=["GET"])
        app.add_url_rule(f"{prefix}/awss3/finishupload/<process_id>", f"finish_{name}", finish, methods=["PUT"])
    app.register_blueprint(bp)


def generate():
    sb = sandbox()
    st = sb.state
    filesize = params.integer("filesize", low=1, high=MAX_SIZE)
    if filesize is None:
        raise params.missing("filesize")
    folder_id = params.required("folderid")
    if not folder_id.isdigit():
        raise bad("folderid", "the target numeric folder id")
    if folder_id not in st.folders:
        raise not_found("Folder", folder_id)
    filename, contenttype = params.required("filename"), params.required("contenttype")
    if "/" not in contenttype.strip("/") or " " in contenttype:
        raise bad("contenttype", "the mime type of the asset (e.g. image/jpeg)")
    asset_id = request.args.get("assetid")
    if asset_id is not None and asset_id not in st.assets:
        raise not_found("Asset", asset_id)
    intent = params.choice("intent", INTENTS, "replace")
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    key = f"12722_{secrets.token_hex(16)}.{ext}"
    now = sb.clock.now()
    with sb.lock:
        up = Upload(str(st.next_process_id), key, folder_id, filename, contenttype, filesize, now, asset_id, intent)
        st.next_process_id += 1
        st.uploads[up.process_id] = up
        st.uploads_by_key[key] = up
    path, expires = f"/_s3/{key}", int(now + PRESIGNED_TTL)
    scheme = "https://" if st.config.https else "http://"
    query = urlencode({"AWSAccessKeyId": ACCESS_KEY_ID, "Expires": expires,
                       "Signature": files.sign(path, expires, contenttype)})
    return jsonify({"presignedUrl": f"{scheme}{request.host}{path}?{query}", "processId": up.process_id})


@bp.put("/_s3/<key>")
def presigned_put(key):
    """S3's checks: the signature covers the Content-Type of step 1, and the URL expires."""
    sb = sandbox()
    up = sb.state.uploads_by_key.get(key)
    if up is None:
        return _s3_error(404, "NoSuchUpload", "The specified upload does not exist.")
    args = request.args
    if args.get("AWSAccessKeyId") != ACCESS_KEY_ID or "Expires" not in args:
        return _s3_error(403, "AccessDenied", "Access Denied")
    if not files.valid(request.path, args.get("Expires"), args.get("Signature"), float("-inf"),
                       request.headers.get("Content-Type", "")):
        return _s3_error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the "
                         "signature you provided. Check your key and signing method.")
    if sb.clock.now() > int(args["Expires"]):
        return _s3_error(403, "AccessDenied", "Request has expired")
    data = request.get_data()
    with sb.lock:
        up.data = data
    response = Response(status=200)
    response.headers["ETag"] = '"' + hashlib.md5(data).hexdigest() + '"'
    return response


def finish(process_id):
    """The asset is created (or updated) in the target folder: "onhold" where the folder requires
    metadata, else the folder's upload status. A process is single use and lives 300 s."""
    sb = sandbox()
    st, now = sb.state, sb.clock.now()
    with sb.lock:
        up = st.uploads.get(process_id)
        if up is None or up.finished or now > up.created + PRESIGNED_TTL:
            raise not_found("Upload process", process_id)
        if up.data is None:
            raise ApiError(400, f"No file was uploaded for process {process_id}.")
        folder = st.folders[up.folder_id]
        up.finished = True
        if up.asset_id is not None and up.asset_id in st.assets:
            a = st.assets[up.asset_id]
            _store_file(a, up)
            a.version += 1 if up.intent == "newversion" else 0
            a.datemodified = now
            st.notify(now, "asset_version", {"type": "asset", "id": a.id, "name": a.name,
                                              "version": str(a.version)})
        else:
            a = Asset(st.new_asset_id(), folder.id, "onhold" if folder.required_fields else folder.upload_status,
                      _kind(up.contenttype), up.filename, up.filename, "", _filetype(up), now, st.seat_user_id,
                      secrets.token_hex(5), requires=folder.required_fields)
            _store_file(a, up)
            st.add(a)
            st.notify(now, "asset_created", {"type": "folder", "id": folder.id, "name": folder.name},
                      [{"type": "asset", "id": a.id}])
    return jsonify({"id": a.id})


def _store_file(a: Asset, up: Upload) -> None:
    a.upload, a.upload_type, a.filesize = up.data, up.contenttype, len(up.data)
    a.width = a.height = None
    if up.contenttype.startswith("image/"):
        try:
            with Image.open(io.BytesIO(up.data)) as img:
                a.width, a.height = img.size
        except (OSError, ValueError, Image.DecompressionBombError):
            pass


def _kind(contenttype: str) -> str:
    major = contenttype.split("/")[0]
    if major == "image":
        return "image"
    if major in ("video", "audio"):
        return "audiovideo"
    return "document" if contenttype in ("application/pdf", "text/plain") else "other"


def _filetype(up: Upload) -> str:
    if "." in up.filename:
        return up.filename.rsplit(".", 1)[-1].lower()
    return (mimetypes.guess_extension(up.contenttype) or ".bin").lstrip(".")

"""The Mediagraph API endpoints the gallery uses, strict about what the documents define.

Paths: only /api/assets/search and /api/assets/:guid/set_uploaded are in the documents; the others are
those of Mediagraph's public client (docs/sandbox.md marks each)."""
import base64
import binascii
import hashlib
import hmac
import json
import secrets
import uuid
from datetime import datetime, timezone
from urllib.parse import quote, urlencode

from flask import Blueprint, current_app, g, jsonify, request

from ..common.app import media_origin
from . import errors, hooks, images, render
from .errors import ApiError, bad_request, not_found, unprocessable
from .store import Asset, Download, Upload, Webhook

bp = Blueprint("mediagraph", __name__)

SIGNED_UPLOAD_TTL = 3600  # "the signed_upload_url is only valid for 1 hour"
DOWNLOAD_TTL = 300  # "within the next 5 minutes"
MAX_PER_PAGE = 100  # undocumented; the sandbox refuses more (docs/sandbox.md)
STATES = ("pending", "uploaded", "processing", "processed", "processing_error")
SORTS = ("filename", "created_at", "captured_at", "file_size", "rating", "custom")
VIDEO_EXTS = {"mp4": "video/mp4", "mov": "video/quicktime", "webm": "video/webm"}
IMAGE_EXTS = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"}
# Documented search parameters the sandbox does not implement: refused, so nobody relies on a no-op.
SEARCH_UNIMPLEMENTED = {
    "gps", "bounds", "as_filters", "lightbox_id", "omit_child_lightboxes",
    "lightbox_folder_id", "omit_child_lightbox_folders", "taxonomy", "hide_taxonomy", "has_people",
    "has_alt_text", "file_size_range", "captured_at", "missing_captured_at", "created_at", "updated_at",
    "aspect", "proximity_field", "proximity_word_1", "proximity_word_2", "proximity_max_gaps", "rights",
    "rights_code", "user_ids", "creator_tag_id", "contracts", "releases", "contract_asset_id", "release_ids",
    "no_collections", "my_contribution_id", "upload_type", "view_all", "optimization_request", "vote", "sync",
    "all_ids",
}
SEARCH_PARAMS = {
    "q", "taxonomy_filter_mode", "include_totals", "include_renditions", "include_meta", "ids", "guids",
    "upload_id", "upload_guid", "storage_folder_id", "omit_child_storage_folders", "collection_id",
    "omit_child_collections", "tags", "hide_tags", "exts", "snapshot_timestamp", "rating", "expired",
    "submitted", "custom_meta", "contribution_id", "sort", "order", "aasm_state", "page", "per_page",
}
# Parameters of the documented list rule ("page", "per_page", "sortField", "sortOrder") per list endpoint.
LIST_PARAMS = {"page", "per_page", "sortField", "sortOrder"}


def sandbox():
    return current_app.extensions["sandbox"]


def ctx() -> render.Ctx:
    sb = sandbox()
    return render.Ctx(g.state, media_origin(), sb.clock.now(), sb.options.url_ttl,
                      secret(), sb.options.organization_id)


def secret() -> bytes:
    """The key of the sandbox's own signatures (preview URLs, presigned uploads)."""
    return hashlib.sha256(b"mediagraph-sandbox|" + sandbox().options.token.encode()).digest()


# -- the gate every /api request passes -----------------------------------------------------------
def gate():
    """PAT as HTTP Basic with an empty user, a disabled token's headers, then the OrganizationId header."""
    if request.routing_exception is not None or request.method == "OPTIONS":
        return
    sb = sandbox()
    g.state = sb.state
    if not request.path.startswith("/api/"):
        return
    token = _basic_token()
    if token is None or not hmac.compare_digest(token, sb.options.token):
        raise errors.unauthorized("Invalid or missing access token")
    if g.state.pat_disabled_note is not None:
        raise errors.unauthorized("Personal access token disabled",
                                  {"X-PAT-Disabled": "1", "X-PAT-Disabled-Note": g.state.pat_disabled_note})
    if request.endpoint == "mediagraph.whoami":  # a "User specific" endpoint: no OrganizationId needed
        return
    org = request.headers.get("OrganizationId")
    if org is None:
        raise errors.unauthorized("The OrganizationId header is required with a Personal Access Token")
    if org.strip() != str(sb.options.organization_id):
        raise errors.unauthorized(f"You are not a member of Organization {org}")


def _basic_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None  # Bearer tokens: this sandbox issues none (docs/sandbox.md)
    try:
        user, sep, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    if not sep or user != "":  # `curl -u :TOKEN`: the user part is empty
        return None
    return password


# -- parameters -----------------------------------------------------------------------------------
def _params(allowed: set, unimplemented: set = frozenset()) -> dict:
    """Query (and JSON or form body) parameters as name -> list of values; `name[]` and `name[k]` folded."""
    out: dict = {}

    def put(name, value):
        base, _, rest = name.partition("[")
        if rest and rest != "]":  # name[key]=value: a hash (custom_meta[SKU]=x)
            out.setdefault(base, [{}])
            out[base][0][rest.rstrip("]")] = value
        else:
            out.setdefault(base, []).extend(value if isinstance(value, list) else [value])

    for name, values in request.args.lists():
        for v in values:
            put(name, v)
    if request.method == "POST" and request.content_length:
        for name, value in _body().items():
            put(name, value)
    for name in out:
        if name in unimplemented:
            raise ApiError(400, "bad_request", f"{name}: not implemented by the sandbox")
        if name not in allowed:
            raise bad_request(name, "unknown parameter")
    return out


def _body() -> dict:
    if request.mimetype == "application/json":
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise ApiError(400, "bad_request", "The body is not a JSON object")
        return body
    if request.mimetype == "application/x-www-form-urlencoded":
        return {k: v if len(v) > 1 or k.endswith("[]") else v[0] for k, v in request.form.lists()}
    raise ApiError(415, "unsupported_media_type", f"Unsupported Content-Type {request.mimetype or 'none'}")


def json_body(root: str | None = None, allowed: set | None = None) -> dict:
    """A Rails-style JSON body (`{"asset": {...}}`): application/json only, as the documents give."""
    if request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type", "Request Body schema: application/json")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", "The body is not a JSON object")
    if root is None:
        return body
    inner = body.get(root)
    if not isinstance(inner, dict):
        raise bad_request(root, "is missing")
    if allowed is not None:
        unknown = set(inner) - allowed
        if unknown:
            raise bad_request(f"{root}.{sorted(unknown)[0]}", "unknown attribute")
    return inner


def one(params: dict, name: str):
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise bad_request(name, "expected one value")
    return values[0]


def int_param(params: dict, name: str, low: int | None = None, high: int | None = None) -> int | None:
    raw = one(params, name)
    if raw is None:
        return None
    if isinstance(raw, bool) or not (isinstance(raw, int) or (isinstance(raw, str) and raw.strip().lstrip("-").isdigit())):
        raise bad_request(name, f"is not an integer: {str(raw)[:40]!r}")
    value = int(raw)
    if (low is not None and value < low) or (high is not None and value > high):
        raise bad_request(name, f"must be between {low} and {high}" if high is not None else f"must be >= {low}")
    return value


def bool_param(params: dict, name: str) -> bool | None:
    raw = one(params, name)
    if raw is None:
        return None
    if isinstance(raw, bool):
        return raw
    if str(raw).lower() in ("true", "1"):
        return True
    if str(raw).lower() in ("false", "0"):
        return False
    raise bad_request(name, f"is not a boolean: {str(raw)[:40]!r}")


def list_param(params: dict, name: str) -> list:
    """`x[]=a&x[]=b`, `x=a,b` or a JSON list."""
    out = []
    for v in params.get(name, []):
        out += [p for p in str(v).split(",") if p != ""] if not isinstance(v, (int, dict)) else [v]
    return out


def paging(params: dict, default_per_page: int = 10) -> tuple[int, int]:
    page = int_param(params, "page", 1) or 1
    per_page = int_param(params, "per_page", 1, MAX_PER_PAGE) or default_per_page
    return page, per_page


def paged(items: list, params: dict, default_per_page: int = 10):
    page, per_page = paging(params, default_per_page)
    return items[(page - 1) * per_page: page * per_page], len(items)


def list_answer(items: list, total: int):
    response = jsonify(items)
    response.headers["Total-Entries"] = str(total)
    return response


# -- publishability helpers -----------------------------------------------------------------------
def expired_now(a: Asset, now: float) -> bool:
    return a.expired or (a.expires_at is not None and a.expires_at <= now)


def get_asset(ref: str) -> Asset:
    a = g.state.asset(ref)
    if a is None or a.trashed_at is not None:
        raise not_found("Asset", ref)
    return a


def get_group(ref, kind: str = "Collection"):
    gid = int(ref) if str(ref).isdigit() else None
    grp = g.state.groups.get(gid)
    if grp is None or grp.type != kind:
        raise not_found(kind, ref)
    return grp


def changed(event: str, **subject) -> None:
    hooks.record(sandbox(), g.state, event, **subject)


# -- user, capabilities ---------------------------------------------------------------------------
@bp.get("/api/whoami")
def whoami():
    return jsonify(render.whoami(g.state.users[g.state.service_user_id]))


@bp.get("/api/can_upload")
def can_upload():
    return jsonify({"can_upload": True, "can_create_storage_folders": False, "can_view_storage_folders": True})


# -- assets ---------------------------------------------------------------------------------------
@bp.route("/api/assets/search", methods=["GET", "POST"])
def search():
    st, c = g.state, ctx()
    p = _params(SEARCH_PARAMS, SEARCH_UNIMPLEMENTED)
    page, per_page = paging(p)
    pool = [a for a in st.assets.values() if a.trashed_at is None]

    upload_id, upload_guid = int_param(p, "upload_id"), one(p, "upload_guid")
    states = list_param(p, "aasm_state")
    for s in states:
        if s not in STATES:
            raise bad_request("aasm_state", f"must be one of {', '.join(STATES)}")
    if not states and upload_id is None and upload_guid is None:
        states = ["processed"]  # "Defaults to processed unless overridden or upload_id or upload_guid specified"
    if states:
        pool = [a for a in pool if a.state(c.now) in states]
    if upload_id is not None:
        pool = [a for a in pool if a.upload_id == upload_id]
    if upload_guid is not None:
        up = st.uploads_by_guid.get(upload_guid)
        pool = [a for a in pool if up is not None and a.upload_id == up.id]

    for name, kind, omit in (("collection_id", "Collection", "omit_child_collections"),
                             ("storage_folder_id", "StorageFolder", "omit_child_storage_folders")):
        gid = int_param(p, name)
        if gid is None:
            continue
        grp = get_group(gid, kind)
        groups = [grp.id] + ([] if bool_param(p, omit) else st.descendants(grp.id))
        if kind == "Collection":
            members = {aid for x in groups for aid in st.groups[x].assets}
            pool = [a for a in pool if a.id in members]
        else:
            pool = [a for a in pool if a.storage_folder_id in groups]

    ids = {int(i) for i in list_param(p, "ids") if str(i).isdigit()}
    if p.get("ids"):
        pool = [a for a in pool if a.id in ids]
    if p.get("guids"):
        guids = set(list_param(p, "guids"))
        pool = [a for a in pool if a.guid in guids]
    q = one(p, "q")
    if q:
        needle = str(q).lower()
        pool = [a for a in pool if any(needle in (t or "").lower()
                                       for t in (a.filename, a.description, a.title, a.alt_text, a.headline))]
    tags = list_param(p, "tags")
    if tags:
        mode = one(p, "taxonomy_filter_mode") or "union"
        if mode not in ("union", "intersection"):
            raise bad_request("taxonomy_filter_mode", "must be union or intersection")
        test = all if mode == "intersection" else any
        pool = [a for a in pool if test(t in {x["name"] for x in a.tags} for t in tags)]
    hide = set(list_param(p, "hide_tags"))
    if hide:
        pool = [a for a in pool if not hide & {x["name"] for x in a.tags}]
    exts = {e.lower() for e in list_param(p, "exts")}
    if exts:
        pool = [a for a in pool if a.ext in exts]
    ratings = [int_param({"rating": [r]}, "rating", 0, 5) for r in list_param(p, "rating")]
    if ratings:
        low, high = min(ratings), max(ratings)
        pool = [a for a in pool if a.rating is not None and low <= a.rating <= high]
    snapshot = int_param(p, "snapshot_timestamp", 0)
    if snapshot is not None:  # "filter assets created before this time" (milliseconds)
        pool = [a for a in pool if a.created_at * 1000 < snapshot]
    expired = bool_param(p, "expired")
    if expired is not None:  # the stored flag only: an expires_at in the past does not set it
        pool = [a for a in pool if a.expired == expired]
    submitted = bool_param(p, "submitted")
    if submitted is not None:
        pool = [a for a in pool if a.submitted == submitted]
    contribution_id = int_param(p, "contribution_id")
    if contribution_id is not None:
        pool = [a for a in pool if a.contribution_id == contribution_id]
    meta = p.get("custom_meta")
    if meta:
        wanted = meta[0]
        if isinstance(wanted, str):
            try:
                wanted = json.loads(wanted)
            except ValueError:
                raise bad_request("custom_meta", "is not an object") from None
        if not isinstance(wanted, dict):
            raise bad_request("custom_meta", "is not an object")
        pool = [a for a in pool if all(
            a.custom_meta.get(k) in (v if isinstance(v, list) else [v]) for k, v in wanted.items())]

    pool = _sort(pool, p, st)
    total = len(pool)
    chosen = pool[(page - 1) * per_page: page * per_page]
    renditions = bool_param(p, "include_renditions") or False
    body = {"total_entries": total, "total_display": None, "ids_in_selection": None}
    if bool_param(p, "include_totals"):
        body["filters"] = _aggregations(pool)
    in_collection = sum(1 for a in pool if st.collections_of(a))
    body["all_asset_counts"] = {"Collection": in_collection, "NoCollection": total - in_collection, "Lightbox": 0}
    body["assets"] = [render.asset(c, a, renditions) for a in chosen]
    response = jsonify(body)
    response.headers["Total-Entries"] = str(total)
    return response


def _sort(pool: list, p: dict, st) -> list:
    raw = one(p, "sort") or "created_at"
    order = one(p, "order")
    field, _, suffix = str(raw).partition("-")  # 001: "add '-asc' or '-desc' for direction"
    if suffix:
        if suffix not in ("asc", "desc"):
            raise bad_request("sort", "direction suffix must be -asc or -desc")
        if order is not None and order != suffix:
            raise bad_request("order", "contradicts the sort suffix")
        order = suffix
    order = order or "desc"  # "Sort direction (default: desc)"
    if field not in SORTS:
        raise bad_request("sort", f"must be one of {', '.join(SORTS)}")
    if order not in ("asc", "desc"):
        raise bad_request("order", "must be asc or desc")
    reverse = order == "desc"
    if field == "custom":
        gid = int_param(p, "collection_id")
        if gid is None:
            raise bad_request("sort", "custom needs a collection_id")
        positions = st.groups[gid].assets
        key = (lambda a: (positions.get(a.id, 10**9), a.id))
        return sorted(pool, key=key, reverse=reverse)
    present = [a for a in pool if getattr(a, field) is not None]
    missing = [a for a in pool if getattr(a, field) is None]  # missing values sort last either way
    present.sort(key=lambda a: (getattr(a, field), a.id), reverse=reverse)
    missing.sort(key=lambda a: a.id, reverse=reverse)
    return present + missing


def _aggregations(pool: list) -> dict:
    ratings: dict = {}
    for a in pool:
        ratings[a.rating or 0] = ratings.get(a.rating or 0, 0) + 1
    return {"rating": {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0,
                       "buckets": [{"key": k, "doc_count": n} for k, n in sorted(ratings.items())]}}


@bp.get("/api/assets/<ref>")
def asset_details(ref):
    p = _params({"include_renditions", "include_meta"}, {"sync", "source_url"})
    return jsonify(render.asset(ctx(), get_asset(ref), bool_param(p, "include_renditions") or False, detail=True))


ASSET_UPDATABLE = {"description", "title", "alt_text", "headline", "credit_line"}


@bp.put("/api/assets/<ref>")
def asset_update(ref):
    a = get_asset(ref)
    fields = json_body("asset", ASSET_UPDATABLE)
    for name, value in fields.items():
        if value is not None and not isinstance(value, str):
            raise bad_request(f"asset.{name}", "must be a string")
        setattr(a, name, value)
    a.updated_at = sandbox().clock.now()
    changed("asset.updated", asset=a)
    return jsonify(render.asset(ctx(), a, detail=True))


@bp.delete("/api/assets/<ref>")
def asset_delete(ref):
    """Delete Asset (001): it moves to the trash (asset.deleted: "Asset moved to trash")."""
    a = get_asset(ref)
    a.trashed_at = a.updated_at = sandbox().clock.now()
    changed("asset.deleted", asset=a)
    return jsonify(render.asset(ctx(), a))


@bp.post("/api/assets/add_group")
def add_group():
    """Doc: form fields `ids[]` and `asset_group_id`; the vendor client sends JSON `asset_ids`, `group_id`."""
    body = _body()
    ids = body.get("ids[]", body.get("ids", body.get("asset_ids")))
    gid = body.get("asset_group_id", body.get("group_id"))
    ids = ids if isinstance(ids, list) else [ids] if ids is not None else []
    if not ids:
        raise bad_request("ids", "is missing")
    if gid is None:
        raise bad_request("asset_group_id", "is missing")
    grp = get_group(gid)
    assets = [get_asset(str(i)) for i in ids]
    added = _add(grp, assets)
    return jsonify({"count": len(assets), "added": added})


def _add(grp, assets) -> int:
    added = 0
    for a in assets:
        if a.id not in grp.assets:
            grp.assets[a.id] = len(grp.assets)
            added += 1
            changed("asset.updated", asset=a)
    if added:
        changed("collection.updated", collection=grp)
    return added


# -- collections ----------------------------------------------------------------------------------
@bp.get("/api/collections")
def collections():
    p = _params(LIST_PARAMS | {"q", "parent_id"})
    pool = g.state.collections()
    parent_id = int_param(p, "parent_id")
    if parent_id is not None:
        pool = [c for c in pool if c.parent_id == parent_id]
    q = one(p, "q")
    if q:  # "Search by name": case-insensitive substring (sandbox choice)
        pool = [c for c in pool if str(q).lower() in c.name.lower()]
    pool = _list_sort(pool, p, {"name": lambda c: c.name.lower(), "created_at": lambda c: c.created_at,
                                "position": lambda c: c.position}, "position", "ascend")
    items, total = paged(pool, p)
    c = ctx()
    return list_answer([render.collection(c, x) for x in items], total)


def _list_sort(pool, p, keys: dict, default: str, default_order: str):
    field = one(p, "sortField") or default
    order = one(p, "sortOrder") or default_order
    if field not in keys:
        raise bad_request("sortField", f"must be one of {', '.join(keys)}")
    if order not in ("ascend", "descend"):
        raise bad_request("sortOrder", "must be ascend or descend")
    return sorted(pool, key=lambda x: (keys[field](x), x.id), reverse=order == "descend")


@bp.get("/api/collections/tree")
def collections_tree():
    p = _params({"parent_id"})
    parent_id = int_param(p, "parent_id")
    pool = [c for c in g.state.collections() if c.parent_id == parent_id]
    c = ctx()
    return list_answer([render.collection(c, x) for x in sorted(pool, key=lambda x: x.name)], len(pool))


@bp.get("/api/collections/find")
def collections_find():
    p = _params({"slug", "organization_slug"})
    slug = one(p, "slug")
    if not slug:
        raise bad_request("slug", "is missing")
    for grp in g.state.collections():
        if grp.slug == slug:
            return jsonify(render.collection(ctx(), grp))
    raise not_found("Collection", slug)


@bp.get("/api/collections/<ref>")
def collection_details(ref):
    _params(set())
    return jsonify(render.collection(ctx(), get_group(ref), detail=True))


@bp.post("/api/collections/<ref>/add_asset")
def collection_add_asset(ref):
    grp = get_group(ref)
    body = _body()
    if body.get("asset_id") is None:
        raise bad_request("asset_id", "is missing")
    a = get_asset(str(body["asset_id"]))
    _add(grp, [a])
    return jsonify({"id": g.state.next_id(), "asset_group_id": grp.id, "asset_id": a.id,
                    "user_id": g.state.service_user_id, "created_at": render.iso(sandbox().clock.now()),
                    "updated_at": render.iso(sandbox().clock.now()), "approval_id": None,
                    "position": grp.assets[a.id] + 1, "last_lightroom_sync_at": None, "workflow_step_id": None})


# -- contributions and uploads --------------------------------------------------------------------
def get_contribution(ref):
    c = g.state.contributions.get(int(ref)) if str(ref).isdigit() else None
    if c is None:
        raise not_found("Contribution", ref)
    return c


@bp.get("/api/contributions")
def contributions():
    p = _params(LIST_PARAMS | {"q"})
    items, total = paged(list(g.state.contributions.values()), p)
    c = ctx()
    return list_answer([render.contribution(c, x) for x in items], total)


@bp.get("/api/contributions/find")
def contributions_find():
    p = _params({"slug"})
    for c in g.state.contributions.values():
        if c.slug == one(p, "slug"):
            return jsonify(render.contribution(ctx(), c))
    raise not_found("Contribution", one(p, "slug"))


@bp.get("/api/contributions/<ref>")
def contribution_details(ref):
    return jsonify(render.contribution(ctx(), get_contribution(ref)))


UPLOAD_FIELDS = {"name", "note", "default_rights_package_id"}


@bp.post("/api/contributions/<ref>/uploads")
def create_upload_in(ref):
    return _create_upload(get_contribution(ref), json_body())


@bp.post("/api/uploads")
def create_upload():
    """Doc body: `{"upload": {...}, "contribution_id": 0}`; without it, the default Storage Folder."""
    body = json_body()
    cid = body.get("contribution_id")
    if cid is not None and (isinstance(cid, bool) or not isinstance(cid, int)):
        raise bad_request("contribution_id", "is not an integer")
    return _create_upload(get_contribution(cid) if cid is not None else None, body)


def _create_upload(contribution, body: dict):
    unknown = set(body) - {"upload", "contribution_id"}
    if unknown:
        raise bad_request(sorted(unknown)[0], "unknown parameter")
    fields = body.get("upload", {})
    if not isinstance(fields, dict) or set(fields) - UPLOAD_FIELDS:
        raise bad_request("upload", f"accepts only {', '.join(sorted(UPLOAD_FIELDS))}")
    if contribution is not None and not contribution.enabled:
        raise ApiError(403, "forbidden", "This contribution is not accepting uploads")
    st, sb = g.state, sandbox()
    folder = contribution.storage_folder_id if contribution else st.fixtures["library"]
    up = Upload(id=st.next_id(), guid=secrets.token_hex(4), name=fields.get("name"), note=fields.get("note"),
                contribution_id=contribution.id if contribution else None, storage_folder_id=folder,
                user_id=st.service_user_id, created_at=sb.clock.now())
    st.uploads[up.id] = up
    st.uploads_by_guid[up.guid] = up
    return jsonify(render.upload(ctx(), up))


PREPARE_FIELDS = {"filename", "file_size", "path", "created_via", "created_via_id"}


def get_upload(guid: str) -> Upload:
    up = g.state.uploads_by_guid.get(guid)
    if up is None:
        raise not_found("Upload", guid)
    return up


@bp.get("/api/uploads/<guid>/assets")
def upload_assets(guid):
    p = _params(LIST_PARAMS)
    up = get_upload(guid)
    items, total = paged([g.state.assets[i] for i in up.asset_ids], p)
    c = ctx()
    return list_answer([render.asset(c, a) for a in items], total)


@bp.post("/api/uploads/<guid>/assets")
def prepare_asset(guid):
    """Prepare Asset Upload: the asset (pending, unsubmitted) plus a signed_upload_url valid one hour."""
    up = get_upload(guid)
    if up.done:
        raise unprocessable("This upload is done: create a new upload session")
    fields = json_body("asset", PREPARE_FIELDS)
    filename = fields.get("filename")
    if not isinstance(filename, str) or not filename.strip() or "/" in filename:
        raise bad_request("asset.filename", "is missing or not a file name")
    size = fields.get("file_size")
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise bad_request("asset.file_size", "must be a non-negative integer")
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    kind, mime = ("Image", IMAGE_EXTS[ext]) if ext in IMAGE_EXTS else \
        ("Video", VIDEO_EXTS[ext]) if ext in VIDEO_EXTS else ("Document", "application/octet-stream")
    st, sb = g.state, sandbox()
    now = sb.clock.now()
    guid_a = str(uuid.uuid4())
    a = Asset(id=st.next_id(), guid=guid_a, filename=filename, type=kind, ext=ext, mime_type=mime, created_at=now,
              user_id=up.user_id, storage_folder_id=up.storage_folder_id, width=None, height=None,
              file_size=size, submitted=False, upload_id=up.id, contribution_id=up.contribution_id,
              created_via=fields.get("created_via"), created_via_id=fields.get("created_via_id"),
              fixed_state=None, processing_seconds=sb.options.processing_seconds,
              s3_upload_key=f"{sb.options.organization_id}/{up.guid}/{guid_a}-{filename}", updated_at=now)
    st.add_asset(a)
    up.asset_ids.append(a.id)
    c = ctx()
    body = render.asset(c, a, detail=True)
    body["signed_upload_url"] = signed_upload_url(c, a, now)
    body["upload"] = render.upload(c, up, secrets=False)
    return jsonify(body)


def _s3_signature(secret: bytes, key: str, date: str, expires: str) -> str:
    return hmac.new(secret, f"PUT\n/{render.BUCKET}/{key}\n{date}\n{expires}".encode(), hashlib.sha256).hexdigest()


def signed_upload_url(c: render.Ctx, a: Asset, now: float) -> str:
    date = datetime.fromtimestamp(now, timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    query = {"X-Amz-Algorithm": "AWS4-HMAC-SHA256",
             "X-Amz-Credential": f"{render.UPLOAD_SECRETS['aws_key']}/{date[:8]}/us-east-1/s3/aws4_request",
             "X-Amz-Date": date, "X-Amz-Expires": str(SIGNED_UPLOAD_TTL), "X-Amz-SignedHeaders": "host",
             "X-Amz-Signature": _s3_signature(c.secret, a.s3_upload_key, date, str(SIGNED_UPLOAD_TTL))}
    return f"{request.host_url.rstrip('/')}/_s3/{render.BUCKET}/{quote(a.s3_upload_key)}?{urlencode(query)}"


@bp.put("/_s3/<bucket>/<path:key>")
def s3_put(bucket, key):
    """The presigned S3 PUT: one auth mechanism only, signature and expiry checked on the sandbox clock."""
    sb, st = sandbox(), g.state
    if "Authorization" in request.headers:
        return errors.s3_error(400, "InvalidArgument", "Only one auth mechanism allowed; only the X-Amz-Algorithm "
                                                        "query parameter, Signature query string parameter or the "
                                                        "Authorization header should be specified")
    a = next((x for x in st.assets.values() if x.s3_upload_key == key), None)
    args = request.args
    date, expires = args.get("X-Amz-Date", ""), args.get("X-Amz-Expires", "")
    expected = _s3_signature(secret(), key, date, expires)
    if bucket != render.BUCKET or a is None or not hmac.compare_digest(args.get("X-Amz-Signature", ""), expected):
        return errors.s3_error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match "
                                                             "the signature you provided.")
    signed_at = datetime.strptime(date, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    if sb.clock.now() > signed_at.timestamp() + int(expires):
        return errors.s3_error(403, "AccessDenied", "Request has expired")
    if request.content_length is None and request.headers.get("Transfer-Encoding") != "chunked":
        return errors.s3_error(411, "MissingContentLength", "You must provide the Content-Length HTTP header.")
    data = request.get_data()
    with sb.lock:
        a.data = data
        a.data_kind = images.sniff(data)
        a.file_size = len(data)
        if a.data_kind and a.data_kind != "mp4":
            size = images.upload_size(data)
            if size is None:
                a.data_kind = None
            else:
                a.width, a.height = a.draw_size = size
    response = current_app.response_class(b"", 200)
    response.headers["ETag"] = f'"{hashlib.md5(data).hexdigest()}"'
    return response


@bp.route("/api/assets/<guid>/set_uploaded", methods=["GET", "PUT", "POST"])
def set_uploaded(guid):
    """"Call once the data has been fully uploaded to S3; this will start background processing"."""
    _params({"skip_meta"})
    a = get_asset(guid)
    sb = sandbox()
    if a.fixed_state is None and a.uploaded_at is None:
        a.uploaded_at = sb.clock.now()
        a.updated_at = a.uploaded_at
        changed("asset.created", asset=a)
    return jsonify(render.asset(ctx(), a, detail=True))


@bp.route("/api/uploads/<ref>/set_done", methods=["PUT", "POST"])
def set_done(ref):
    """"Call once all Assets have been uploaded. Will submit each Asset in background"."""
    up = g.state.uploads.get(int(ref)) if ref.isdigit() else None
    if up is None:
        raise not_found("Upload", ref)
    if up.done:  # choice: the documents say nothing; strict, so a client must check rather than assume
        raise unprocessable("This upload is already done")
    now = sandbox().clock.now()
    for aid in up.asset_ids:
        a = g.state.assets[aid]
        if a.uploaded_at is not None and not a.submitted:
            a.submitted, a.submitted_at, a.updated_at = True, now, now
    up.done = True
    unsubmitted = sum(1 for aid in up.asset_ids if not g.state.assets[aid].submitted)
    return jsonify(render.upload_done(up, unsubmitted))


# -- workflow -------------------------------------------------------------------------------------
@bp.get("/api/workflow_steps")
def workflow_steps():
    p = _params(LIST_PARAMS)
    items, total = paged(list(g.state.steps.values()), p, 100)
    return list_answer([render.workflow_step(s) for s in items], total)


@bp.post("/api/workflow_steps/<ref>/approve")
def workflow_approve(ref):
    """"Approve selected assets in a workflow step, moving them to the next step": into its asset group."""
    step = g.state.steps.get(int(ref)) if ref.isdigit() else None
    if step is None:
        raise not_found("WorkflowStep", ref)
    ids = json_body().get("asset_ids")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise bad_request("asset_ids", "must be a non-empty array of integers")
    assets = [get_asset(str(i)) for i in ids]
    approve(g.state, assets, g.state.groups[step.asset_group_id])
    return jsonify([{"id": None, "aasm_state": "approved", "user_id": g.state.service_user_id,
                     "asset_group_asset_id": g.state.next_id(), "workflow_step_id": step.id,
                     "created_at": None, "updated_at": None, "asset_group_id": step.asset_group_id,
                     "asset_id": a.id} for a in assets])


def approve(st, assets, grp) -> None:
    """Approval (also the operator's): submitted, in the product collection."""
    now = sandbox().clock.now()
    for a in assets:
        if not a.submitted:
            a.submitted, a.submitted_at = True, now
        a.updated_at = now
        st.rejected.discard(a.id)
    _add(grp, assets)


# -- comments (used by the gallery to tell reviewers about reports) -------------------------------
@bp.post("/api/comments")
def create_comment():
    body = json_body()
    kind = request.args.get("type", body.get("type"))
    ref = request.args.get("id", body.get("id"))
    if kind not in ("Collection", "Lightbox"):
        raise bad_request("type", "must be Lightbox or Collection")
    if ref is None:
        raise bad_request("id", "is missing")
    grp = get_group(ref)
    comment = body.get("comment")
    text = comment.get("text") if isinstance(comment, dict) else None
    if not isinstance(text, str) or not text.strip():
        raise bad_request("comment.text", "is missing")
    now = sandbox().clock.now()
    entry = {"id": len(g.state.comments) + 1, "text": text, "what_id": grp.id, "what_type": "AssetGroup",
             "mentioned_user_ids": "[]", "created_at": render.iso(now), "updated_at": render.iso(now),
             "user": render.whoami(g.state.users[g.state.service_user_id])}
    g.state.comments.append(entry)
    return jsonify(entry)


# -- downloads ------------------------------------------------------------------------------------
@bp.post("/api/downloads")
def create_download():
    spec = json_body("download", {"asset_ids", "size"})
    ids, size = spec.get("asset_ids"), spec.get("size", "original")
    if not isinstance(ids, list) or not ids:
        raise bad_request("download.asset_ids", "must be a non-empty array")
    if size not in ("small", "medium", "full", "original"):
        raise bad_request("download.size", "must be small, medium, full or original")
    assets = [get_asset(str(i)) for i in ids]
    d = Download(token=secrets.token_hex(16), asset_ids=[a.id for a in assets], size=size,
                 created=sandbox().clock.now())
    g.state.downloads[d.token] = d
    return jsonify({"token": d.token, "filename": f"acme-brand-mediagraph-download-{assets[0].id}.jpg",
                    "integration": None})


@bp.get("/api/downloads")
@bp.get("/api/downloads/<token>")
def start_download(token=None):
    token = token or request.args.get("token")  # 001: a query parameter; the vendor client: the path
    d = g.state.downloads.get(token or "")
    if d is None or sandbox().clock.now() > d.created + DOWNLOAD_TTL:
        raise not_found("Download", token)
    a = g.state.assets[d.asset_ids[0]]
    name = {"small": "small", "medium": "permalink", "full": "full", "original": "full"}[d.size]
    response = current_app.response_class(g.state.files.get(a, name), 200, content_type="image/jpeg")
    response.headers["Content-Disposition"] = f'attachment; filename="{a.filename}"'
    return response


# -- webhooks -------------------------------------------------------------------------------------
WEBHOOK_FIELDS = {"name", "url", "enabled", "events", "asset_group_id", "include_download_url", "group_assets",
                  "trash", "note"}


def get_webhook(ref) -> Webhook:
    w = g.state.webhooks.get(int(ref)) if str(ref).isdigit() else None
    if w is None:
        raise not_found("Webhook", ref)
    return w


def _webhook_fields(fields: dict, w: Webhook | None) -> dict:
    out = {}
    if "url" in fields or w is None:
        url = fields.get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise bad_request("webhook.url", "must be an http(s) URL")
        out["url"] = url
    if "events" in fields or w is None:
        events = fields.get("events")
        events = events.split(",") if isinstance(events, str) else events
        if not isinstance(events, list) or not events or any(e not in hooks.EVENTS for e in events):
            raise bad_request("webhook.events", f"must be a comma list of {', '.join(hooks.EVENTS)}")
        out["events"] = [e.strip() for e in events]
    if fields.get("asset_group_id") is not None:
        gid = fields["asset_group_id"]
        if str(gid) not in {str(x) for x in g.state.groups}:
            raise not_found("AssetGroup", gid)
        out["asset_group_id"] = int(gid)
    for name in ("name", "note"):
        if name in fields:
            out[name] = fields[name]
    if "enabled" in fields:
        out["enabled"] = bool(fields["enabled"])
    return out


@bp.get("/api/webhooks")
def webhooks():
    p = _params(LIST_PARAMS | {"q", "enabled"})
    items, total = paged(list(g.state.webhooks.values()), p)
    return list_answer([render.webhook(w) for w in items], total)


@bp.post("/api/webhooks")
def create_webhook():
    fields = _webhook_fields(json_body("webhook", WEBHOOK_FIELDS), None)
    w = Webhook(id=g.state.next_id(), name=fields.get("name") or "webhook", url=fields["url"], events=fields["events"],
                asset_group_id=fields.get("asset_group_id"), enabled=fields.get("enabled", True),
                created_at=sandbox().clock.now(), note=fields.get("note"))
    g.state.webhooks[w.id] = w
    return jsonify(render.webhook(w))


@bp.get("/api/webhooks/<ref>")
def webhook_details(ref):
    return jsonify(render.webhook(get_webhook(ref)))


@bp.put("/api/webhooks/<ref>")
def update_webhook(ref):
    w = get_webhook(ref)
    for name, value in _webhook_fields(json_body("webhook", WEBHOOK_FIELDS), w).items():
        setattr(w, name, value)
    return jsonify(render.webhook(w))


@bp.delete("/api/webhooks/<ref>")
def delete_webhook(ref):
    w = get_webhook(ref)
    del g.state.webhooks[w.id]
    return jsonify(render.webhook(w))


@bp.post("/api/webhooks/test")
def test_webhook():
    url = json_body().get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise bad_request("url", "is missing")
    status = hooks.post(url, {"test": "data"}) if sandbox().options.deliver else None
    if status is None or 200 <= status < 300:
        return jsonify({"message": "Success"})
    return jsonify({"error": f"The URL answered {status}"})


# -- preview files (the CDN) ----------------------------------------------------------------------
@bp.get("/_files/<guid>/<name>.<ext>")
def preview_file(guid, name, ext):
    c = ctx()
    a = g.state.assets_by_guid.get(guid)
    if a is None or name not in images.BOXES or ext not in ("jpg", "mp4"):
        return errors.s3_error(404, "NoSuchKey", "The specified key does not exist.")
    if c.url_ttl:
        path = f"/_files/{guid}/{name}.{ext}"
        exp = request.args.get("exp", "")
        if not exp.isdigit() or not hmac.compare_digest(request.args.get("sig", ""), c.sign(path, int(exp))):
            return errors.s3_error(403, "AccessDenied", "Invalid signature")
        if c.now > int(exp):
            return errors.s3_error(403, "AccessDenied", "Request has expired")
    if a.state(c.now) != "processed":
        return errors.s3_error(404, "NoSuchKey", "The specified key does not exist.")
    if ext == "mp4":
        data, mime = (a.data if a.data_kind == "mp4" else images.PLACEHOLDER_MP4), "video/mp4"
    else:
        data, mime = g.state.files.get(a, name), "image/jpeg"
    response = current_app.response_class(data, 200, content_type=mime)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response

"""JSON shapes of the documents' samples (Mediagraph API 002, with 001 where 002 drops a field)."""
import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlencode

from .images import fitted
from .store import Asset, AssetGroup, Contribution, State, Upload, User, Webhook, WorkflowStep

URL_FIELDS = {"thumb": "thumb_url", "grid": "grid_url", "small": "small_url", "permalink": "permalink_url",
              "full": "full_url"}
# Fake storage credentials of every upload session: leak tests look for exactly these values.
UPLOAD_SECRETS = {"aws_key": "AKIASANDBOXMG7Q2XK4Z", "ftp_password": "mgftp-5d1e9c07b3",
                  "ftp_username": "uploads+sandbox@ftp.mediagraph.example"}
BUCKET = "mediagraph-sandbox-uploads"


def iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    dt = datetime.fromtimestamp(ts, timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


@dataclass
class Ctx:
    state: State
    base: str  # the origin of file URLs: --media-url, else the request's
    now: float
    url_ttl: int  # 0: preview URLs never expire
    secret: bytes
    org_id: int

    def sign(self, path: str, exp: int) -> str:
        return hmac.new(self.secret, f"{path}|{exp}".encode(), hashlib.sha256).hexdigest()[:32]

    def file_url(self, asset: Asset, name: str, ext: str = "jpg") -> str:
        path = f"/_files/{asset.guid}/{name}.{ext}"
        if not self.url_ttl:
            return self.base + path
        # Expiry on a grid of half the lifetime, so one answer's URLs stay identical for a while and
        # each is valid at least url_ttl/2 and at most url_ttl seconds after it was served.
        window = self.url_ttl / 2
        exp = int((math.floor(self.now / window) + 2) * window)
        return f"{self.base}{path}?{urlencode({'exp': exp, 'sig': self.sign(path, exp)})}"


def user(u: User) -> dict:
    return {"id": u.id, "first_name": u.first_name, "last_name": u.last_name, "created_at": iso(u.created_at),
            "default_username": u.username, "timezone": None, "guest": None, "guest_email": None,
            "avatar_url": None, "name": f"{u.first_name} {u.last_name}", "initials": f"{u.first_name[0]} {u.last_name[0]}",
            "username": None, "title": None, "user_id": u.id, "lang": None,
            "notify_new_membership_requests": None, "support": False}


def whoami(u: User) -> dict:
    return {"id": u.id, "first_name": u.first_name, "last_name": u.last_name, "created_at": iso(u.created_at),
            "can_create_orgs": False, "confirmed_at": iso(u.created_at), "default_username": u.username,
            "enable_lightroom": True, "support": False, "name": f"{u.first_name} {u.last_name}",
            "initials": f"{u.first_name[0]} {u.last_name[0]}", "user_group_ids": [], "user_id": u.id,
            "organization": None}


def _renditions(ctx: Ctx, a: Asset) -> list[dict]:
    """The documents' rendition list; `url`, `width` and `height` are the vendor client's optional fields."""
    out = [{"name": "original", "ext": a.ext}]
    for name in ("full", "permalink", "small"):
        entry = {"name": name, "ext": "jpg", "watermarked": False}
        if name == "permalink":
            entry = {"name": name, "display_name": "medium", "ext": "jpg", "watermarked": False}
        if a.type == "Video" and name == "full":
            entry = {"name": name, "ext": "mp4", "watermarked": False, "url": ctx.file_url(a, name, "mp4"),
                     "width": None, "height": None}
        else:
            w, h = fitted(*_size(a), name)
            entry.update({"url": ctx.file_url(a, name), "width": w, "height": h})
        out.append(entry)
    return out


def _size(a: Asset) -> tuple[int, int]:
    if a.data is not None and a.width:
        return a.width, a.height
    return a.draw_size


def asset(ctx: Ctx, a: Asset, renditions: bool = False, detail: bool = False) -> dict:
    st = ctx.state
    state = a.state(ctx.now)
    previews = state == "processed"
    body = {
        "id": a.id, "filename": a.filename, "file_size": a.file_size, "guid": a.guid, "short_guid": a.guid[:8],
        "type": a.type, "ext": a.ext, "duration": None, "md5": None, "mime_type": a.mime_type, "source_url": None,
        "description": a.description, "width": a.width, "height": a.height, "ppi": None,
        "expired": a.expired, "expires_at": iso(a.expires_at), "release": False, "contract": False,
        "released": False, "has_people": None, "headline": a.headline, "title": a.title,
        "credit_line": a.credit_line, "creator": [], "vote": None, "nsfw_detected": a.nsfw_detected,
        "data_version_number": 1, "preview_type": a.type, "downloadable_previews": previews, "block_level": 0,
        "submitted": a.submitted,
        "preview_image_url": ctx.file_url(a, "permalink") if previews else None,
        "alt_text": a.alt_text, "organization_id": ctx.org_id, "has_alpha": False, "downloadable": True,
        "rating": a.rating, "path": "", "upload_id": a.upload_id, "user_id": a.user_id, "aasm_state": state,
        "processing_error": "Unable to read the uploaded file" if state == "processing_error" else None,
        "created_at": iso(a.created_at), "updated_at": iso(a.updated_at or a.created_at),
        "s3_upload_key": a.s3_upload_key, "captured_at": iso(a.captured_at), "created_via": a.created_via,
        "created_via_id": a.created_via_id, "submitted_at": iso(a.submitted_at), "trashed_at": iso(a.trashed_at),
        "custom_meta_values": [{"id": 944088700 + i, "text": v, "color_label": None, "date": None,
                                "custom_meta_field_id": 879201400 + i}
                               for i, v in enumerate(a.custom_meta.values())],
        "user": user(st.users[a.user_id]),
        "rights_status": a.rights_status,
        "storage_folder_path": st.groups[a.storage_folder_id].slug,
        "tags": [dict(t) for t in a.tags],
    }
    for name, field in URL_FIELDS.items():
        body[field] = ctx.file_url(a, name) if previews else None
    if renditions:
        body["renditions"] = _renditions(ctx, a) if previews else [{"name": "original", "ext": a.ext}]
    if detail:
        body["download_sizes"] = ["original", "full", "medium", "small"]
        body["collections"] = [collection(ctx, g) for g in st.collections_of(a)]
    return body


def collection(ctx: Ctx, g: AssetGroup, detail: bool = False) -> dict:
    st = ctx.state
    ancestors, parent = [], g.parent_id
    while parent is not None:
        ancestors.insert(0, parent)
        parent = st.groups[parent].parent_id
    path = [st.groups[i] for i in ancestors] + [g]
    has_children = any(c.parent_id == g.id for c in st.groups.values())
    body = {
        "id": g.id, "created_at": iso(g.created_at), "path_names": [p.name for p in path],
        "path_slugs": [p.slug for p in path], "slug": g.slug, "sandbox": False, "organizer": False,
        "type": g.type, "has_children": has_children, "parent_id": g.parent_id, "ancestor_ids": ancestors,
        "permission_ids": [], "visible_assets_count": len(g.assets), "asset_group_id": g.id,
        "has_workflow_steps": any(s.asset_group_id == g.id for s in st.steps.values()),
        "sort_order": None, "featured": False, "sortable": True, "enable_embargo": False,
        "embargo_ends_at": None, "embargoed": False, "position": g.position, "organization_id": ctx.org_id,
        "organization_slug": "acme-brand", "user": user(st.users[st.service_user_id]), "editable": True,
        "can_update_assets": True, "name": g.name, "description": g.description,
    }
    if detail:
        body.update({
            "permissions": [], "collections": [collection(ctx, c) for c in st.groups.values() if c.parent_id == g.id],
            "workflow_steps": [workflow_step(s) for s in st.steps.values() if s.asset_group_id == g.id],
            "links": [], "asset_group_admins": [],
            "webhooks": [webhook(w) for w in st.webhooks.values() if w.asset_group_id == g.id],
        })
    return body


def storage_folder(ctx: Ctx, g: AssetGroup) -> dict:
    return {"id": g.id, "created_at": iso(g.created_at), "name": g.name, "description": g.description,
            "slug": g.slug, "organizer": False, "type": "StorageFolder", "has_children": False,
            "path_names": [g.name], "parent_id": None, "ancestor_ids": [], "path_slugs": [g.slug],
            "asset_group_id": g.id, "has_workflow_steps": False, "contribution_id": g.contribution_id,
            "enable_contribution": g.contribution_id is not None, "user": user(ctx.state.users[ctx.state.service_user_id]),
            "editable": True}


def contribution(ctx: Ctx, c: Contribution) -> dict:
    st = ctx.state
    pending = sum(1 for u in st.uploads.values() if u.contribution_id == c.id and not u.done)
    return {
        "enabled": c.enabled, "id": c.id, "name": c.name, "text": c.text, "featured": False, "slug": c.slug,
        "storage_folder_id": c.storage_folder_id, "auto_approve": c.auto_approve, "auto_add": False,
        "asset_group_id": c.asset_group_id, "enable_comprehensive_tagging": False, "request_people_tags": False,
        "enable_tag_suggester": False, "enable_quick_upload": False, "create_place_name_tags": False,
        "created_at": iso(c.created_at), "updated_at": iso(c.created_at), "rights_package_ids": [],
        "require_rights_package": False, "require_creator_tag": False,
        "uploads_count": sum(1 for u in st.uploads.values() if u.contribution_id == c.id),
        "assets_count": sum(1 for a in st.assets.values() if a.contribution_id == c.id),
        "user_assets_count": 0, "type": "link", "is_public": False, "notify_emails": [], "notify_copy": None,
        "membership_ids": [], "contribution_memberships_count": 0, "enable_public": False,
        "to_param": f"{c.id}-{c.slug}", "tag_names": [], "contribution_tag_suggesters_attributes": [],
        "rights_packages": [], "storage_folder": storage_folder(ctx, st.groups[c.storage_folder_id]),
        "editable": True, "pending_uploads_count": pending,
    }


def upload(ctx: Ctx, u: Upload, secrets: bool = True) -> dict:
    st = ctx.state
    body = {
        "id": u.id, "user_id": u.user_id, "guid": u.guid, "name": u.name, "note": u.note,
        "created_at": iso(u.created_at), "updated_at": iso(u.created_at),
        "current_assets_count": len(u.asset_ids), "assets_count": len(u.asset_ids), "tag_names": [],
        "done": u.done, "standalone": u.contribution_id is not None, "contribution_id": u.contribution_id,
        "upload_state": "active", "paused_at": None, "stalled_at": None, "stalled_reason": None,
        "cancelled_at": None, "agreed_at": None, "total_assets": len(u.asset_ids),
        "user": user(st.users[u.user_id]),
    }
    if secrets:
        body["aws_key"] = UPLOAD_SECRETS["aws_key"]
        body["bucket"] = BUCKET
        if u.contribution_id is not None:
            body["contribution"] = contribution(ctx, st.contributions[u.contribution_id])
        body["ftp_username"] = UPLOAD_SECRETS["ftp_username"]
        body["ftp_password"] = UPLOAD_SECRETS["ftp_password"]
        body["ftp_url"] = (f"sftp://uploads%2Bsandbox%40ftp.mediagraph.example:{UPLOAD_SECRETS['ftp_password']}"
                           f"@ftp.mediagraph.example/{ctx.org_id}/{u.guid}")
    return body


def upload_done(u: Upload, unsubmitted: int) -> dict:
    return {"id": u.id, "assets_count": len(u.asset_ids), "unsubmitted_assets_count": unsubmitted,
            "all_requirements_met": True, "done": u.done, "tag_suggesters_met": True,
            "unmet_tag_suggester_ids": [], "rights_packages_met": True, "creator_tags_met": True}


def workflow_step(s: WorkflowStep) -> dict:
    return {"id": s.id, "workflow_id": s.workflow_id, "name": s.name, "position": s.position,
            "asset_group_id": s.asset_group_id, "auto_approval": False, "manual_approval_type": "any",
            "approval_user_id": None}


def webhook(w: Webhook) -> dict:
    return {"id": w.id, "name": w.name, "url": w.url, "asset_group_id": w.asset_group_id,
            "events": ",".join(w.events), "include_download_url": False, "enabled": w.enabled,
            "created_at": iso(w.created_at), "updated_at": iso(w.created_at), "group_assets": True,
            "trash": False, "note": w.note}


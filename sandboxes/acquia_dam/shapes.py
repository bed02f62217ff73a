"""The document's JSON shapes, numbers as strings where its samples have them as strings."""
import re
from urllib.parse import urlencode, urlsplit

from ..common.app import media_origin
from . import files
from .store import THUMBNAIL_SIZES, Asset, Folder, State, User, stamp


def media_host() -> str:
    """The host of thumbnail URLs: --media-url's (where browsers reach the sandbox), else the request's."""
    return urlsplit(media_origin()).netloc


class Ctx:
    """What rendering needs from a request: the state, the clock's now, the image base URL and the TTL."""

    def __init__(self, state: State, now: float, host: str, ttl: int | None):
        self.state, self.now, self.ttl = state, now, ttl
        self.base = ("https://" if state.config.https else "http://") + host


def mini_user(u: User) -> dict:
    return {"type": "user", "id": u.id, "email": u.email, "name": u.name, "username": u.username}


def mini_folder(f: Folder) -> dict:
    return {"type": "folder", "id": f.id, "name": f.name}


def signed_url(ctx: Ctx, path: str) -> str:
    if ctx.ttl is None:
        ctx.state.unsigned_paths.add(path)
        return ctx.base + path
    expires = int(ctx.now + ctx.ttl)
    return ctx.base + path + "?" + urlencode({"Expires": expires, "Signature": files.sign(path, expires)})


def thumbnail_path(a: Asset, size: int) -> str:
    if size == 550 and a.md_thumb:
        return f"/image_dir/album{a.folder_id}/md_{a.key}.jpg"
    return f"/s/{size}th_sm_{a.key}.jpg"


def thumbnails(ctx: Ctx, a: Asset, sizes=THUMBNAIL_SIZES) -> list[dict]:
    return [{"size": str(size), "url": signed_url(ctx, thumbnail_path(a, size))} for size in sizes]


def asset(ctx: Ctx, a: Asset) -> dict:
    st = ctx.state
    out = {"type": "asset", "id": a.id, "status": a.status, "filename": a.filename, "name": a.name,
           "filesize": f"{a.filesize / 1_000_000:.2f}"}
    if a.width is not None:
        out["width"], out["height"] = str(a.width), str(a.height)
    out.update({"description": a.description, "filetype": a.filetype})
    if a.kind == "image":
        out["colorspace"] = "RGB"
    out.update({"version": str(a.version), "datecreated": stamp(a.datecreated),
                "datemodified": stamp(a.datemodified or a.datecreated), "numComments": "0"})
    if a.kind in ("image", "audiovideo"):  # "only applies to certain types of assets such as image or videos"
        out["thumbnailurls"] = thumbnails(ctx, a)
    out["folder"] = mini_folder(st.folders[a.folder_id])
    out["user"] = mini_user(st.users[a.user_id])
    return out


def folder(ctx: Ctx, f: Folder) -> dict:
    st = ctx.state
    children = [c for c in st.folders.values() if c.parent == f.id]
    contents = st.folder_assets(f.id)
    out = {"type": "folder", "id": f.id, "metadatatemplateid": f.metadatatemplateid, "parent": f.parent,
           "name": f.name, "status": f.status, "datecreated": stamp(f.datecreated), "passwordprotected": "false",
           "numassets": str(len(contents)), "numchildren": len(children), "clientfolderid": f.clientfolderid,
           "permissions": {"folders": ["create", "move", "delete", "edit"],
                           "assets": ["download", "upload", "move", "edit", "delete"]},
           # An empty PHP array serializes as [] (the document shows properties both as {} and []).
           "properties": dict(f.properties) if f.properties else []}
    cover = next((a for a in sorted(contents, key=lambda a: -a.datecreated) if a.kind == "image"), None)
    if cover is not None:  # folders carry 100 to 310 only, as in the document's samples
        out["thumbnailurls"] = thumbnails(ctx, cover, THUMBNAIL_SIZES[:4])
    out["user"] = mini_user(st.users[f.user_id])
    return out


def xmp(a: Asset) -> dict:
    return {"type": "assetxmp", **{k: v for k, v in a.xmp.items() if v != ""}}


def listing(ctx: Ctx, assets: list[Asset], offset: int, limit: int) -> dict:
    """The folder, search and lightbox listing envelope: total_count and limit strings, offset a number."""
    facets = {kind: None for kind in ("image", "document", "audiovideo", "presentation", "other")}
    for a in assets:
        facets[a.kind] = str(int(facets[a.kind] or 0) + 1)
    return {"total_count": str(len(assets)), "offset": offset, "limit": str(limit), "facets": {"types": facets},
            "items": [asset(ctx, a) for a in assets[offset:offset + limit]]}


_ASSET_THUMBNAILS = re.compile(rb'("type":"asset",[^\n]*?"thumbnailurls":)\[(\{[^\[\]]*\})\]')


def document_json(response):
    """--document-json: asset thumbnailurls written as the document's samples write them,
    `{ {"size": ..., "url": ...}, ... }`, which is not JSON (folders keep their list, as in the document)."""
    if response.mimetype == "application/json" and b'"thumbnailurls":[' in response.get_data():
        response.set_data(_ASSET_THUMBNAILS.sub(rb"\1{\2}", response.get_data()))
    return response

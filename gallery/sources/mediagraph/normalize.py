"""Mediagraph assets and collections to the normalized shapes of docs/api.md. Pure functions, no I/O.

A tolerant reader: ids may be numbers or strings, sizes strings or null, lists null, URL fields
null (they are in every document sample). Only the fields below are copied: never the uploading
member's email, the S3 key, or any API URL.
"""
from datetime import datetime, timezone

from ...media.models import is_id
from ...upstream import reading

SHOWN = {"image": "image", "video": "video"}  # Text, Document and the rest are never shown
VIDEO_EXTS = ("mp4", "mov", "webm", "m4v")
# Ours -> Mediagraph's URL fields, first present wins, with the rendition or pixel box that sizes it.
RENDITIONS = (("square", ("thumb_url",)), ("thumbnail", ("thumb_url",)), ("mobile", ("grid_url", "small_url")),
              ("normal", ("small_url", "permalink_url")), ("original", ("full_url", "permalink_url")))
SIZED_BY = {"small_url": "small", "permalink_url": "permalink", "full_url": "full"}  # renditions[] names
BOXES = {"thumb_url": "thumb", "grid_url": "grid"}  # configured boxes (MEDIAGRAPH_THUMB_BOX, _GRID_BOX)


def asset_id(value):
    text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    return text if is_id(text) else None


def kind(asset):
    return SHOWN.get(str(asset.get("type") or "").lower())


def publishable(asset):
    """Processed, submitted, unexpired, untrashed, not NSFW, an image or a video."""
    if not isinstance(asset, dict) or asset_id(asset.get("id")) is None or kind(asset) is None:
        return False
    if str(asset.get("aasm_state") or "processed") != "processed":
        return False
    if _true(asset.get("expired")) or _true(asset.get("nsfw_detected")) or asset.get("trashed_at"):
        return False
    if asset.get("submitted") is not None and not _true(asset.get("submitted")):
        return False
    expires = _datetime(asset.get("expires_at"))
    return expires is None or expires > datetime.now(timezone.utc)


def medium(asset, boxes, products=()):
    """An asset -> Media. `boxes`: {"thumb": px, "grid": px} (0: unknown); `products`: its Product dicts."""
    width, height = reading.positive_int(asset.get("width")), reading.positive_int(asset.get("height"))
    sizes = _rendition_sizes(asset.get("renditions"))
    renditions = []
    for name, fields in RENDITIONS:
        for field in fields:
            url = reading.http_url(asset.get(field))
            if url:
                size = sizes.get(SIZED_BY.get(field)) or reading.fit(width, height, boxes.get(BOXES.get(field)) or 0)
                renditions.append({"name": name, "url": url, **size})
                break
    media_type = kind(asset)
    return {
        "id": asset_id(asset.get("id")),
        "type": media_type,
        "caption": next((reading.text(asset.get(f)) for f in ("description", "alt_text", "title", "headline")
                         if reading.text(asset.get(f))), None),
        "source": "mediagraph",
        "width": width,
        "height": height,
        "date_published": _iso(asset.get("submitted_at")) or _iso(asset.get("created_at")),
        "renditions": renditions,
        "uploader": {"name": reading.text(asset.get("credit_line")), "username": None, "avatar_url": None},
        "share_url": None,
        "video_url": _video_url(asset) if media_type == "video" else None,
        "products": list(products),
    }


def product(collection, tag_key):
    return {"id": asset_id(collection.get("id")), "tag_key": tag_key,
            "name": reading.text(collection.get("name")) or tag_key,
            "description": reading.text(collection.get("description")), "url": None, "image": None}


def listed(value):
    """The assets of a search answer: 002's {"assets": [...]}, a bare list, or {"data": [...]}."""
    if isinstance(value, dict):
        value = value.get("assets") if "assets" in value else value.get("data")
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _rendition_sizes(renditions):
    out = {}
    for r in renditions if isinstance(renditions, list) else []:
        if isinstance(r, dict) and isinstance(r.get("name"), str):
            out[r["name"]] = {"width": reading.positive_int(r.get("width")),
                              "height": reading.positive_int(r.get("height"))}
    return {k: v for k, v in out.items() if v["width"]}


def _video_url(asset):
    for r in asset.get("renditions") if isinstance(asset.get("renditions"), list) else []:
        if isinstance(r, dict) and str(r.get("ext") or "").lower() in VIDEO_EXTS and reading.http_url(r.get("url")):
            return r["url"]
    return None


def _true(value):
    return value is True or str(value).lower() in ("true", "1")


def _datetime(value):
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _iso(value):
    parsed = _datetime(value)
    return parsed.astimezone(timezone.utc).isoformat(timespec="seconds") if parsed else None

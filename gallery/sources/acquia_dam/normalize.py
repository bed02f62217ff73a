"""Acquia DAM (Webdam REST API v2) assets and folders to the normalized shapes of docs/api.md. Pure
functions, no I/O.

A tolerant reader: numbers arrive as strings ("width": "890", "total_count": "1"), sizes may be
missing, `thumbnailurls` may be a list of {size, url}, a dict keyed by size, or a dict of size -> url
(the document's samples show several), `datecreated` a zone-less "2013-07-10 14:30:25" (UTC) or a unix
timestamp. Only active images and videos are ever shown. The owner's email is never copied, nor its
username (the seat's login names are no public data).
"""
from datetime import datetime, timezone

from ...media.models import is_id
from ...upstream.reading import fit, http_url, positive_int, text

ACTIVE = "active"
IMAGE_TYPES = frozenset({"jpg", "jpeg", "png", "gif", "webp", "tif", "tiff", "bmp", "heic", "heif", "psd", "svg",
                         "eps", "cr2", "nef", "dng"})
VIDEO_TYPES = frozenset({"mp4", "mov", "m4v", "avi", "wmv", "webm", "mpg", "mpeg", "mkv", "flv", "3gp", "mts"})
# Ours -> the thumbnail size (its max dimension) it is drawn from; 220 is not needed.
RENDITIONS = (("square", 100), ("thumbnail", 150), ("mobile", 310), ("normal", 550))


def asset_id(value):
    """An asset or folder id as text ("3456621"), or None when it is not one."""
    if isinstance(value, bool):
        return None
    text = str(value).strip() if isinstance(value, (str, int)) else ""
    return text if is_id(text) else None


def kind(asset):
    """"image", "video", or None for what is never shown (documents, presentations, audio, other)."""
    filetype = str(asset.get("filetype") or "").lower().lstrip(".")
    return "image" if filetype in IMAGE_TYPES else "video" if filetype in VIDEO_TYPES else None


def publishable(asset):
    """An active image or video: inactive and "onhold" assets never appear."""
    return (isinstance(asset, dict) and asset_id(asset.get("id")) is not None
            and str(asset.get("status") or "").lower() == ACTIVE and kind(asset) is not None)


def folder_id_of(asset):
    folder = asset.get("folder") if isinstance(asset, dict) else None
    return asset_id(folder.get("id") if isinstance(folder, dict) else folder)


def thumbnails(value, upgrade=True):
    """{size: url} from any of the shapes `thumbnailurls` comes in."""
    pairs = []
    if isinstance(value, list):
        pairs = [(t.get("size"), t.get("url")) for t in value if isinstance(t, dict)]
    elif isinstance(value, dict):
        for key, entry in value.items():
            if isinstance(entry, dict):
                pairs.append((entry.get("size", key), entry.get("url")))
            else:
                pairs.append((key, entry))
    out = {}
    for size, url in pairs:
        size, url = number(size), _url(url, upgrade)
        if size and url:
            out[size] = url
    return out


def medium(asset, products=(), upgrade=True):
    """An asset -> Media. `products`: the Product dicts it is listed under."""
    width, height = number(asset.get("width")), number(asset.get("height"))
    urls = thumbnails(asset.get("thumbnailurls"), upgrade)
    renditions = []
    for name, size in RENDITIONS:
        chosen = _nearest(urls, size)
        if chosen:
            renditions.append({"name": name, "url": urls[chosen], **fit(width, height, chosen)})
    user = asset.get("user") if isinstance(asset.get("user"), dict) else {}
    return {
        "id": asset_id(asset.get("id")),
        "type": kind(asset),
        "caption": text(asset.get("description")) or _name(asset),
        "source": "acquia_dam",
        "width": width,
        "height": height,
        "date_published": date(asset.get("datecreated")),
        "renditions": renditions,
        "uploader": {"name": text(user.get("name")), "username": None, "avatar_url": None},
        "share_url": None,
        "video_url": None,  # only thumbnails are public; the file needs the seat's bearer (or a 60 s link)
        "products": list(products),
    }


def product(folder, tag_key, upgrade=True):
    urls = thumbnails(folder.get("thumbnailurls"), upgrade)
    cover = urls.get(_nearest(urls, 310))
    return {"id": asset_id(folder.get("id")), "tag_key": tag_key, "name": text(folder.get("name")) or tag_key,
            "description": text(folder.get("description")), "url": None, "image": cover}


def active_folder(folder):
    return isinstance(folder, dict) and asset_id(folder.get("id")) is not None and \
        str(folder.get("status") or "").lower() == ACTIVE


def number(value):
    """A positive int from a number or a numeric string ("890", "890.0"), else None (never a bool)."""
    return None if isinstance(value, bool) else positive_int(value)


def count(value):
    """A count (0 allowed) from a number or a string, else None."""
    if isinstance(value, bool):
        return None
    try:
        n = int(float(value))
    except (TypeError, ValueError, OverflowError):
        return None
    return n if n >= 0 else None


def date(value):
    """ISO 8601 with a zone: "2013-07-10 14:30:25" is read as UTC; a unix timestamp is accepted too."""
    stamp = timestamp(value)
    return datetime.fromtimestamp(stamp, timezone.utc).isoformat() if stamp is not None else None


def timestamp(value):
    """`datecreated` as a unix time, or None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value) if value > 0 else None
    raw = str(value or "").strip()
    if raw.replace(".", "", 1).isdigit():
        return float(raw) if float(raw) > 0 else None
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw[:19], fmt).replace(tzinfo=timezone.utc).timestamp()
        except ValueError:
            continue
    return None


def _name(asset):
    """The asset's name, unless it is only its file name ("Lightbox_switch.jpg")."""
    name = text(asset.get("name"))
    return name if name and name != asset.get("filename") else None


def _url(value, upgrade):
    url = http_url(value)
    if url and upgrade and url.startswith("http://"):
        return "https://" + url[len("http://"):]
    return url


def _nearest(urls, size):
    """`size` when listed, else the smallest listed size above it, else the largest below; None for none."""
    if not urls:
        return None
    above = [s for s in urls if s >= size]
    return min(above) if above else max(urls)

"""MomaPIX JSON:API items to the normalized shapes of docs/api.md. Pure functions, no I/O.

A tolerant reader: ids may be numbers (2241642), fractional (2241780.3) or strings, sizes may be
strings or missing, attributes may be absent or null. Only documented fields are copied; `links`
(API URLs) never leave.
"""
from decimal import Decimal, InvalidOperation

from ...upstream import reading

PUBLISHED = "public"
SHOWN = {"photo": "image", "video": "video"}  # audio and text items are never shown
# Ours -> MomaPIX's: the thumbnail for the small ones, the preview for the large ones. Originals are
# one-time downloads only, so there is no "original".
RENDITIONS = (("square", "url_thumb_m", "thumb"), ("thumbnail", "url_thumb_m", "thumb"),
              ("mobile", "url_thumb_l", "preview"), ("normal", "url_thumb_l", "preview"))
# The attributes every request asks for (fields[item]): the default set lacks section and url_stream_m.
FIELDS = ("id", "archive", "mime_type", "section", "title", "caption", "date", "xsize", "ysize",
          "url_thumb_m", "url_thumb_l", "url_stream_m")


def item_id(value):
    """An id exactly as the upstream wrote it, as text: 2241780.3 -> "2241780.3", 2241642 -> "2241642"."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value).removesuffix(".0") if value.is_integer() else repr(value)
    text = str(value).strip()
    try:
        Decimal(text)
    except InvalidOperation:
        return None
    return text if text and text.replace(".", "", 1).isdigit() else None


def kind(attrs):
    """"image", "video", or None for what is never shown (audio, text, unknown)."""
    archive = str(attrs.get("archive") or "").lower()
    if archive:
        return SHOWN.get(archive)
    mime = str(attrs.get("mime_type") or "").lower()
    return "image" if mime.startswith("image/") else "video" if mime.startswith("video/") else None


def publishable(resource):
    """Published photos and videos only: a section other than public (private, trash) hides an item."""
    attrs = _attributes(resource)
    section = attrs.get("section")
    return (item_id(resource.get("id")) is not None and kind(attrs) is not None
            and (section is None or str(section).lower() == PUBLISHED))


def medium(resource, boxes, products=()):
    """An item resource -> Media. `boxes`: {"thumb": px, "preview": px} (0: unknown); `products`:
    the Product dicts it is listed under."""
    attrs = _attributes(resource)
    width, height = reading.positive_int(attrs.get("xsize")), reading.positive_int(attrs.get("ysize"))
    media_type = kind(attrs)
    renditions = []
    for name, field, box in RENDITIONS:
        url = reading.http_url(attrs.get(field))
        if url:
            renditions.append({"name": name, "url": url, **reading.fit(width, height, boxes.get(box) or 0)})
    return {
        "id": item_id(resource.get("id")),
        "type": media_type,
        "caption": reading.text(attrs.get("caption")) or reading.text(attrs.get("title")),
        "source": "momapix",
        "width": width,
        "height": height,
        "date_published": _date(attrs.get("date")),
        "renditions": renditions,
        "uploader": {"name": None, "username": None, "avatar_url": None},
        "share_url": None,
        "video_url": reading.http_url(attrs.get("url_stream_m")) if media_type == "video" else None,
        "products": list(products),
    }


def product(lightbox_id, tag_key, attrs, boxes):
    cover = reading.http_url(attrs.get("url_thumb_l"))
    return {"id": str(lightbox_id), "tag_key": tag_key, "name": reading.text(attrs.get("description")) or tag_key,
            "description": reading.text(attrs.get("text")), "url": None, "image": cover}


def _attributes(resource):
    attrs = resource.get("attributes") if isinstance(resource, dict) else None
    return attrs if isinstance(attrs, dict) else {}


def _date(value):
    """"2018-04-11" (a day) -> "2018-04-11T00:00:00+00:00"; "0000-00-00" and odd values -> None."""
    text = str(value or "")[:10]
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit() and text[:4] != "0000":
        return f"{text}T00:00:00+00:00"
    return None

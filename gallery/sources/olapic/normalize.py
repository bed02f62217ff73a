"""Olapic JSON (media, streams) to the normalized shapes of docs/api.md. Pure functions, no I/O.

Only documented fields are copied: nothing of Olapic's HAL plumbing (_links, _forms, _embedded,
tokens) can leak through.
"""
SQUARE = 90
BOXES = {"thumbnail": 150, "mobile": 320, "normal": 640}  # fit inside, keep the ratio, never upscale
RENDITIONS = ("square", "thumbnail", "mobile", "normal", "original")


def customer(data):
    """The customer entity of a root or /customers/{id} answer: the real API wraps it in
    `_embedded.customer`, the reference puts it straight in `data`. None when neither holds one."""
    if isinstance(data, dict) and data.get("id") is None:
        data = (data.get("_embedded") or {}).get("customer")
    return data if isinstance(data, dict) and data.get("id") is not None else None


def media_list(data):
    """The media of a page: `null` (the real API's empty page) is none, one object is a list of one."""
    media = (data.get("_embedded") or {}).get("media") or []
    return [media] if isinstance(media, dict) else media


def product(stream):
    """A stream (product) object → Product. Its image: the base image, else the cover medium."""
    embedded = stream.get("_embedded") or {}
    base_image = embedded.get("base_image") or embedded.get("cover_media") or {}
    return {
        "id": str(stream["id"]),
        "tag_key": stream.get("tag_based_key"),
        "name": stream.get("name"),
        "description": stream.get("description"),
        "url": stream.get("product_url"),
        "image": (base_image.get("images") or {}).get("normal"),
    }


def medium(data):
    """A medium object → Media."""
    width, height = _int(data.get("original_image_width")), _int(data.get("original_image_height"))
    embedded = data.get("_embedded") or {}
    uploader = embedded.get("uploader") or {}
    images = data.get("images") or {}
    return {
        "id": str(data["id"]),
        "type": "video" if str(data.get("type")).upper() == "VIDEO" else "image",
        "caption": data.get("caption"),
        "source": data.get("source"),
        "width": width,
        "height": height,
        "date_published": data.get("date_published"),
        "renditions": [
            {"name": name, "url": images[name], **_size(name, width, height)}
            for name in RENDITIONS if images.get(name)
        ],
        "uploader": {
            "name": uploader.get("name"),
            "username": uploader.get("username"),
            "avatar_url": uploader.get("avatar_url"),
        },
        "share_url": data.get("share_url"),
        "video_url": data.get("video_url"),
        "products": [product(stream) for stream in _streams(embedded)],
    }


def _streams(embedded):
    streams = ((embedded.get("streams:all") or {}).get("_embedded") or {}).get("stream") or []
    return [streams] if isinstance(streams, dict) else streams  # HAL: one object or a list


def _size(name, width, height):
    if name == "square":
        return {"width": SQUARE, "height": SQUARE}
    if width is None or height is None or width <= 0 or height <= 0:
        return {"width": None, "height": None}
    if name == "original":
        return {"width": width, "height": height}
    scale = min(BOXES[name] / width, BOXES[name] / height, 1.0)
    return {"width": max(1, round(width * scale)), "height": max(1, round(height * scale))}


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

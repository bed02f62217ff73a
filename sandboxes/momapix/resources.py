"""Entities to JSON:API resource objects, honouring fields[item], fields[lightbox] and fields[event].

Only valued attributes are written ("a partial list of valued attribute"): an item without a caption
or without sizes simply lacks those keys.
"""
import hashlib
import hmac
from datetime import datetime, timezone

from flask import current_app

from . import jsonapi

ITEM_DEFAULT = ("url_thumb_l", "url_thumb_m", "xsize", "ysize", "id_event", "id", "mime_type", "archive", "license",
                "title", "caption", "date")
SERVER_FIELDS = ("reference", "byline", "product_code")  # server-defined metadata an upload may set
ITEM_ALL = ITEM_DEFAULT + ("url_stream_m", "section", "file_size", "file_name", "file_extension", "uploaded_date",
                           "lastupdate_date", "creation_date") + SERVER_FIELDS
LIGHTBOX_DEFAULT = ("description", "subject_date", "xsize", "ysize", "numberofitemsinlightbox", "url_thumb_m",
                    "url_thumb_l")
LIGHTBOX_ALL = LIGHTBOX_DEFAULT + ("text",)
EVENT_DEFAULT = ("numberofitemsinevent", "url_thumb_l", "url_thumb_m", "text", "title", "date")
EVENT_ALL = EVENT_DEFAULT + ("xsize", "ysize")


def stamp(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def _chosen(asked, default, every):
    if asked is None:
        return default
    if asked == {"all"}:
        return every
    return tuple(n for n in every if n in asked)


def file_url(item, name: str) -> str:
    """Absolute URL of a rendition file; signed and expiring when the sandbox runs with --signed-urls."""
    ext = "mp4" if name == "stream_m" else "jpg"
    url = jsonapi.media_link(f"/_files/{item.key}/{name}.{ext}")
    sb = current_app.extensions["sandbox"]
    if sb.url_ttl:
        exp = int(sb.clock.now()) + sb.url_ttl
        url += f"?exp={exp}&sig={signature(sb, item.key, name, exp)}"
    return url


def signature(sb, key: str, name: str, exp: int) -> str:
    return hmac.new(sb.url_secret, f"{key}/{name}/{exp}".encode(), hashlib.sha256).hexdigest()[:32]


def item_values(item) -> dict:
    return {
        "url_thumb_l": file_url(item, "thumb_l"), "url_thumb_m": file_url(item, "thumb_m"),
        "url_stream_m": file_url(item, "stream_m") if item.archive == "video" else None,
        "xsize": item.xsize, "ysize": item.ysize, "id_event": item.event_id, "id": item.id,
        "mime_type": item.mime_type, "archive": item.archive, "license": item.license, "title": item.title,
        "caption": item.caption, "date": item.date, "section": item.section, "file_size": item.file_size,
        "file_name": item.file_name, "file_extension": item.file_name.rpartition(".")[2],
        "uploaded_date": stamp(item.uploaded), "lastupdate_date": stamp(item.updated),
        "creation_date": item.date, **{k: item.extra.get(k) for k in SERVER_FIELDS},
    }


def item(it, asked="request") -> dict:
    asked = jsonapi.fields("item") if asked == "request" else asked
    values = item_values(it)
    attrs = {n: values[n] for n in _chosen(asked, ITEM_DEFAULT, ITEM_ALL) if values[n] is not None}
    return {"type": "item", "id": it.id, "attributes": attrs, "links": {"self": jsonapi.link(f"/rest/item/{it.id}")}}


def identifier(it) -> dict:
    return {"type": "item", "id": it.id}


def _cover(items) -> dict:
    first = items[0] if items else None
    return {"url_thumb_m": file_url(first, "thumb_m") if first else "",
            "url_thumb_l": file_url(first, "thumb_l") if first else "",
            "xsize": first.xsize if first else None, "ysize": first.ysize if first else None}


def lightbox(st, lb) -> dict:
    items = [st.items[i] for i in lb.item_ids]
    values = {"description": lb.description, "subject_date": lb.subject_date,
              "numberofitemsinlightbox": len(items), "text": lb.text, **_cover(items)}
    asked = jsonapi.fields("lightbox")
    attrs = {n: values[n] for n in _chosen(asked, LIGHTBOX_DEFAULT, LIGHTBOX_ALL)
             if values[n] is not None or n == "text"}
    return {"type": "lightbox", "id": lb.id, "attributes": attrs,
            "links": {"self": jsonapi.link(f"/rest/lightbox/{lb.id}")}}


def event(e, items) -> dict:
    values = {"numberofitemsinevent": len(items), "text": e.text, "title": e.title, "date": e.date, **_cover(items)}
    asked = jsonapi.fields("event")
    attrs = {n: values[n] for n in _chosen(asked, EVENT_DEFAULT, EVENT_ALL) if values[n] is not None or n == "text"}
    return {"type": "event", "id": e.id, "attributes": attrs, "links": {"self": jsonapi.link(f"/rest/event/{e.id}")}}

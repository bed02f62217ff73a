"""Olapic widget instances as carousel presets: the settings of an instance's olapic_slidev3 style."""
import re

from ...media.capabilities import SORTS
from ...media.models import Item, NotFound, UpstreamError

_INSTANCE_ID = re.compile(r"[A-Za-z0-9]{1,64}")


def _flag(value):
    return str(value).strip().lower() in ("1", "true")


def _int(value, default=0):
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return default


class OlapicPresets:
    def __init__(self, client):
        self._client = client

    def preset(self, instance_id):
        if not _INSTANCE_ID.fullmatch(instance_id):
            raise NotFound(f"no widget instance {instance_id!r}")
        upstream = self._client.get(f"/widgets/{instance_id}")
        if upstream.status in (400, 403, 404):
            raise NotFound(f"no widget instance {instance_id!r}")
        if upstream.status != 200:
            raise UpstreamError("unavailable", f"upstream answered {upstream.status}")
        data = upstream.json.get("data") or {}
        style = (data.get("_embedded") or {}).get("setting") or {}
        if style.get("type") != "olapic_slidev3":
            raise NotFound(f"widget instance {instance_id!r} is not a carousel")
        sort = (data.get("settings") or {}).get("sorting")
        return Item({
            "limit": min(_int(style.get("photos_limit"), 20), 100) or 20,
            "slide_by": _int(style.get("slide_by"), 1),
            "infinite": _flag(style.get("infinite")),
            "auto_play": _flag(style.get("auto_play")),
            "interval": _int(style.get("interval")),  # milliseconds; 0 leaves the widget's default
            "sort": sort if sort in SORTS else None,
        }, upstream.freshness)

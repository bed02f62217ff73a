"""Query and body parameters, checked as strictly as the document states them."""
import json

from flask import request

from .errors import ApiError, bad, missing
from .store import KINDS, THUMBNAIL_TTLS

SORTBY = ("filename", "filesize", "datecreated", "datemodified")
MAX_LIMIT = 100


def integer(name: str, default=None, low: int = 0, high: int | None = None):
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < low or (high is not None and int(raw) > high):
        raise bad(name, f"an integer >= {low}" + (f" and <= {high}" if high is not None else ""))
    return int(raw)


def choice(name: str, values, default=None):
    raw = request.args.get(name)
    if raw is None:
        return default
    if raw not in values:
        raise bad(name, "one of " + ", ".join(values))
    return raw


def boolean(name: str) -> bool:
    return choice(name, ("true", "false", "1", "0"), "false") in ("true", "1")


def thumbnail_ttl(default: str):
    """Seconds the thumbnail URLs live; only the documented values (a raw '+' in a query is a space)."""
    raw = request.args.get("thumbnail_ttl", default)
    if raw not in THUMBNAIL_TTLS:
        raise bad("thumbnail_ttl", "one of " + ", ".join(repr(v) for v in THUMBNAIL_TTLS))
    return THUMBNAIL_TTLS[raw]


def listing(clamp: bool) -> dict:
    """sortby, sortdir (default asc, as documented), limit (default 50, at most 100), offset, types."""
    limit = integer("limit", 50, low=1, high=None if clamp else MAX_LIMIT)
    types = request.args.get("types")
    kinds = None
    if types is not None:
        kinds = types.split(",")
        if not all(k in KINDS for k in kinds):
            raise bad("types", "a comma-separated list of " + ", ".join(KINDS))
    return {"sortby": choice("sortby", SORTBY, "datecreated"), "sortdir": choice("sortdir", ("asc", "desc"), "asc"),
            "limit": min(limit, MAX_LIMIT), "offset": integer("offset", 0), "kinds": kinds}


def body() -> dict:
    """A PUT/POST body: a JSON object (the document's curls send JSON under curl's default form type),
    or form fields."""
    raw = request.get_data(cache=True)
    if raw.strip().startswith(b"{"):
        try:
            data = json.loads(raw)
        except ValueError:
            raise ApiError(400, "The request body is not valid JSON.") from None
        if isinstance(data, dict):
            return data
    if request.mimetype == "application/x-www-form-urlencoded" and request.form:
        return request.form.to_dict()
    if not raw.strip():
        return {}
    raise ApiError(400, "The request body must be a JSON object.")


def ids(raw: str, limit: int | None = None) -> list[str]:
    out = [i for i in raw.split(",") if i]
    if not out or not all(i.isdigit() for i in out):
        raise bad("ids", "a comma-separated list of numeric ids")
    if limit is not None and len(out) > limit:
        raise ApiError(400, f"The limit is {limit} assets.")
    return out


def required(name: str) -> str:
    value = request.args.get(name)
    if value is None or value == "":
        raise missing(name)
    return value

"""Opaque pagination cursors: the source's continuation state, signed (HMAC, SECRET_KEY) and bound to
the request it continues, so a client can neither alter it nor replay it on another product, sort,
filter set or page size. Clients never see an upstream URL to follow, only this token.
"""
import hashlib
import json

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

from ..errors import ApiError

_SALT = "gallery.cursor.v1"


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def binding(scope, key, query):
    """What a cursor is valid for: the collection and every parameter that shapes its pages.

    Kept as a short digest so that a 1,000-character tag key does not make every cursor longer.
    """
    what = [scope, key, query["sort"], sorted(query["filters"].items()), query["limit"]]
    return hashlib.sha256(json.dumps(what).encode()).hexdigest()[:32]


def dump(state, bound_to):
    return _serializer().dumps({"b": bound_to, "s": state})


def load(token, bound_to):
    try:
        data = _serializer().loads(token)
    except BadData:
        raise ApiError(400, "invalid_cursor", "This cursor was altered or not made by this service.",
                       field="cursor") from None
    if not isinstance(data, dict) or data.get("b") != bound_to:
        raise ApiError(400, "invalid_cursor", "This cursor belongs to another gallery, sort, filter or limit.",
                       field="cursor")
    return data["s"]

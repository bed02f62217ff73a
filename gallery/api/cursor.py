"""Opaque pagination cursors: the source's continuation state, encrypted and authenticated (Fernet:
AES with an HMAC, keyed from SECRET_KEY) and bound to the request it continues. A client can neither
read the upstream path inside, nor alter it, nor replay it on another provider, product, sort, filter
set or page size.
"""
import base64
import hashlib
import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

from ..errors import ApiError

_CONTEXT = b"gallery.cursor.v1:"


@lru_cache(maxsize=4)
def _fernet(secret):
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(_CONTEXT + secret.encode()).digest()))


def _cipher():
    return _fernet(current_app.config["SECRET_KEY"])


def binding(scope, key, query):
    """What a cursor is valid for: the provider, the collection and every parameter that shapes its pages.

    Kept as a short digest so that a 1,000-character tag key does not make every cursor longer.
    """
    what = [query["source"].name, scope, key, query["sort"], sorted(query["filters"].items()), query["limit"]]
    return hashlib.sha256(json.dumps(what).encode()).hexdigest()[:32]


def dump(state, bound_to):
    payload = json.dumps({"b": bound_to, "s": state}, separators=(",", ":")).encode()
    return _cipher().encrypt(payload).decode().rstrip("=")  # "=" padding would need escaping in URLs


def load(token, bound_to):
    try:
        padded = token + "=" * (-len(token) % 4)
        # Base64 decoders ignore the spare bits of the last character: insist on the one spelling we made.
        if base64.urlsafe_b64encode(base64.urlsafe_b64decode(padded)).decode() != padded:
            raise ValueError("not canonical")
        data = json.loads(_cipher().decrypt(padded))
    except (InvalidToken, ValueError, TypeError):
        raise ApiError(400, "invalid_cursor", "This cursor was altered or not made by this service.",
                       field="cursor") from None
    if not isinstance(data, dict) or data.get("b") != bound_to:
        raise ApiError(400, "invalid_cursor", "This cursor belongs to another provider, gallery, sort, filter or limit.",
                       field="cursor")
    return data["s"]

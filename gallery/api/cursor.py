"""Opaque pagination cursors: the source's continuation state, encrypted and authenticated (Fernet:
AES with an HMAC, keyed from SECRET_KEY) and bound to the request it continues. A client can neither
read the upstream path inside, nor alter it, nor replay it on another provider, product, sort, filter
set or page size.
"""
import base64
import hashlib
import json
from functools import lru_cache

from flask import current_app

from ..errors import ApiError

_CONTEXT = b"gallery.cursor.v1:"


@lru_cache(maxsize=4)
def _fernet(secret):
    # Imported on the first cursor (some 7 MB per process): a worker serving first pages never needs it.
    from cryptography.fernet import Fernet

    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(_CONTEXT + secret.encode()).digest()))


def _cipher():
    return _fernet(current_app.config["SECRET_KEY"])


def _invalid_token():
    from cryptography.fernet import InvalidToken

    return InvalidToken


def binding(scope, key, query):
    """What a cursor is valid for: the collection and every parameter that shapes its pages (the
    provider travels beside it, see dump).

    Kept as a short digest so that a 1,000-character tag key does not make every cursor longer.
    """
    what = [scope, key, query["sort"], sorted(query["filters"].items()), query["limit"]]
    return hashlib.sha256(json.dumps(what).encode()).hexdigest()[:32]


def dump(state, bound_to, provider):
    payload = json.dumps({"b": bound_to, "p": provider, "s": state}, separators=(",", ":")).encode()
    return _cipher().encrypt(payload).decode().rstrip("=")  # "=" padding would need escaping in URLs


def load(token, bound_to, provider, bare_ids=False):
    """The state in `token`, if it was minted for `bound_to` and `provider`. A cursor minted before
    providers existed names none: it is the bare-id provider's (`bare_ids`: Olapic's), and keeps working."""
    try:
        padded = token + "=" * (-len(token) % 4)
        # Base64 decoders ignore the spare bits of the last character: insist on the one spelling we made.
        if base64.urlsafe_b64encode(base64.urlsafe_b64decode(padded)).decode() != padded:
            raise ValueError("not canonical")
        data = json.loads(_cipher().decrypt(padded))
    except (_invalid_token(), ValueError, TypeError):
        raise ApiError(400, "invalid_cursor", "This cursor was altered or not made by this service.",
                       field="cursor") from None
    minted_for = data.get("p", provider if bare_ids else None) if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("b") != bound_to or minted_for != provider:
        raise ApiError(400, "invalid_cursor", "This cursor belongs to another provider, gallery, sort, filter or limit.",
                       field="cursor")
    return data["s"]

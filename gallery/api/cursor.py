"""Opaque pagination cursors: the continuation state (a federated listing's, holding each provider's
own), encrypted and authenticated (Fernet: AES with an HMAC, keyed from SECRET_KEY) and bound to the
request it continues. A client can neither read the upstream paths inside, nor alter them, nor replay
them on other providers, another mix, product, sort, filter set or page size.
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
    """What a cursor is valid for: the collection and every parameter that shapes its pages (the
    provider travels beside it, see dump).

    Kept as a short digest so that a 1,000-character tag key does not make every cursor longer.
    """
    what = [scope, key, query["sort"], sorted(query["filters"].items()), query["limit"]]
    return hashlib.sha256(json.dumps(what).encode()).hexdigest()[:32]


def dump(state, bound_to, providers):
    """`providers`: what the state belongs to besides `bound_to` (the providers and their mix)."""
    payload = json.dumps({"b": bound_to, "p": providers, "s": state}, separators=(",", ":")).encode()
    return _cipher().encrypt(payload).decode().rstrip("=")  # "=" padding would need escaping in URLs


def load(token, bound_to):
    """(providers it was minted for, state) of `token`, if it was minted for `bound_to`. A cursor minted
    before providers existed names none (None): it is the bare-id provider's (Olapic's)."""
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
        raise foreign()
    return data.get("p"), data.get("s")


def foreign():
    return ApiError(400, "invalid_cursor", "This cursor belongs to other providers, another gallery, sort, filter "
                                           "or limit.", field="cursor")

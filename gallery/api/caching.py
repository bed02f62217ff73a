"""Our own caching headers: Cache-Control from the upstream's remaining freshness, a strong ETag, 304s."""
import hashlib
import json

from flask import current_app, request

# How long browsers and CDNs may keep a "product not found" answer (a product feed may add it soon).
NOT_FOUND_MAX_AGE = 60


def _cache_control(max_age, usable_for=None):
    """`usable_for`: seconds the answer may be served at all (its image URLs expire then), or None.
    Caches may serve it stale only inside that."""
    config = current_app.config
    max_age = max(0, int(max_age))
    swr, sie = config["STALE_WHILE_REVALIDATE"], config["STALE_IF_ERROR"]
    if usable_for is not None:
        room = max(0, int(usable_for) - max_age)
        swr, sie = min(swr, room), min(sie, room)
    return f"public, max-age={max_age}, stale-while-revalidate={swr}, stale-if-error={sie}"


def cached_json(payload, freshness):
    """A JSON response that shared caches may keep as long as the upstream answer stays fresh."""
    return respond(*render(payload), freshness.max_age, freshness.usable_for)


def render(payload):
    """The JSON body of `payload` and its strong ETag."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    return body, hashlib.sha256(body).hexdigest()[:32]


def respond(body, etag, max_age, usable_for=None):
    """`body` with its caching headers, or 304 when the client has it (If-None-Match, weak comparison).

    Just that: werkzeug's make_conditional (Range, If-Modified-Since, a Date header) would cost
    every memoised answer more than the rest of it, and so would looking up an absent header
    (werkzeug raises and catches an exception for it)."""
    headers = {"Cache-Control": _cache_control(max_age, usable_for), "ETag": f'"{etag}"'}
    if "HTTP_IF_NONE_MATCH" in request.environ and request.if_none_match.contains_weak(etag):
        return current_app.response_class(status=304, headers=headers)
    return current_app.response_class(body, headers=headers, mimetype="application/json")

"""Our own caching headers: Cache-Control from the upstream's remaining freshness, a strong ETag, 304s."""
import hashlib
import json

from flask import current_app, request

# How long browsers and CDNs may keep a "product not found" answer (a product feed may add it soon).
NOT_FOUND_MAX_AGE = 60


def _cache_control(max_age):
    config = current_app.config
    return (f"public, max-age={max(0, int(max_age))}, "
            f"stale-while-revalidate={config['STALE_WHILE_REVALIDATE']}, stale-if-error={config['STALE_IF_ERROR']}")


def cached_json(payload, freshness):
    """A JSON response that shared caches may keep as long as the upstream answer stays fresh."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    response = current_app.response_class(body, mimetype="application/json")
    response.headers["Cache-Control"] = _cache_control(freshness.max_age)
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    return response.make_conditional(request)

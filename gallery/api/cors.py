"""CORS for the origins in CORS_ORIGINS (`*` only by default in sandbox mode). Our answers are GET-only
and need no credentials, so simple responses and a minimal preflight answer are all there is to it."""
from flask import current_app, request


def allow_origins(response):
    # On every answer, so cheaply: werkzeug's header lookups raise (and catch) an exception for each
    # header that is absent, which would cost more than the rest of this function.
    if response.headers.getlist("Vary"):
        response.vary.add("Origin")
    else:
        response.headers["Vary"] = "Origin"
    allowed = origin_headers(request.environ.get("HTTP_ORIGIN"), current_app.config["CORS_ORIGINS"])
    for name, value in allowed:
        response.headers[name] = value
    if allowed and request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET"
        response.headers["Access-Control-Allow-Headers"] = "If-None-Match"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def origin_headers(origin, allowed):
    """The CORS headers of an answer to `origin` (none when it is not among the `allowed`)."""
    if origin and ("*" in allowed or origin in allowed):
        return [("Access-Control-Allow-Origin", "*" if "*" in allowed else origin),
                ("Access-Control-Expose-Headers", "ETag, Retry-After")]
    return []

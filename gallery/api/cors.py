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
    origin = request.environ.get("HTTP_ORIGIN")
    allowed = current_app.config["CORS_ORIGINS"]
    if origin and ("*" in allowed or origin in allowed):
        response.headers["Access-Control-Allow-Origin"] = "*" if "*" in allowed else origin
        response.headers["Access-Control-Expose-Headers"] = "ETag, Retry-After"
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET"
            response.headers["Access-Control-Allow-Headers"] = "If-None-Match"
            response.headers["Access-Control-Max-Age"] = "86400"
    return response

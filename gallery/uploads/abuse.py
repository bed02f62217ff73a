"""Abuse controls of the write endpoints: rate limits in Redis (flask-limiter) and allowed origins.

Limits are counted per client IP and per email, in the app's Redis, so every worker and instance
shares them. The email is only ever a SHA-256 in a limit's key. While Redis is down the limits are
skipped (the endpoints themselves then answer 503: they need Redis to store anything).
"""
import hashlib
import math
import time

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address
from limits import parse as parse_limit
from .. import links
from ..errors import ApiError, error_response
from .fields import normalized_email


def too_many(limit):
    """on_breach: our JSON error, with Retry-After in seconds."""
    retry_after = max(1, math.ceil(limit.reset_at - time.time()))
    return error_response(
        429, "rate_limited", f"Too many requests. Try again in {retry_after} seconds.",
        headers={"Retry-After": str(retry_after)},
    )


limiter = Limiter(key_func=get_remote_address, key_prefix="gallery", swallow_errors=True, on_breach=too_many)


def init_limiter(app):
    app.config.setdefault("RATELIMIT_STORAGE_URI", _storage_uri(app.config["REDIS_URL"]))
    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_timeout": 0.5, "socket_connect_timeout": 0.5})
    hooks = (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs)
    before = [list(funcs.get(None, [])) for funcs in hooks]
    limiter.init_app(app)
    # Each limit here decorates its view, which checks it. The hooks init_app adds to every request of
    # the app serve default and application limits and rate-limit headers, none of which we use: they
    # would only slow down every read, so they are taken off again.
    for funcs, kept in zip(hooks, before):
        funcs[None] = kept
    app.register_error_handler(RateLimitExceeded, lambda exc: exc.get_response())


def _storage_uri(redis_url):
    # The embedded Redis listens on a unix socket: limits spells that scheme redis+unix.
    return "redis+" + redis_url if redis_url.startswith("unix://") else redis_url


def limits(setting):
    """A limit string, read from the app config on each request."""
    return lambda: current_app.config[setting]


def email_key():
    """The per-email limit's key: a hash of the lowercased email of the form or JSON body."""
    return "email:" + hashlib.sha256(_email().encode()).hexdigest()


def no_email():
    return not _email()


def _email():
    """The email as the view will read it (the form was parsed whole before: views.parse_form), in
    one spelling per address, so that no case, Unicode or punycode variant counts apart."""
    body = request.get_json(silent=True) if request.is_json else None
    email = (body if isinstance(body, dict) else request.form).get("email")
    return normalized_email(email).lower() if isinstance(email, str) else ""


def may_hide(email):
    """Whether this client, by IP and by email, may still hide a medium (REPORT_HIDES_PER_CLIENT);
    when so, the hiding is counted against both."""
    item = parse_limit(current_app.config["REPORT_HIDES_PER_CLIENT"])
    clients = [("gallery", "report-hides", "ip", get_remote_address()),
               ("gallery", "report-hides", "email", hashlib.sha256(email.lower().encode()).hexdigest())]
    strategy = limiter.limiter
    if not all(strategy.test(item, *client) for client in clients):
        return False
    for client in clients:
        strategy.hit(item, *client)
    return True


def check_origin():
    """before_request of the write endpoints: a browser's cross-site POST must come from an allowed origin.

    Browsers send Origin on every cross-site POST; requests without one (curl, servers) are not
    cross-site requests a page could forge, and same-origin requests are ours.
    """
    origin = request.headers.get("Origin")
    if request.method != "POST" or not origin:
        return
    allowed = current_app.config["CORS_ORIGINS"]
    if "*" in allowed or origin in allowed or origin == (links.origin() or request.host_url.rstrip("/")):
        return
    raise ApiError(403, "origin_not_allowed", "Submissions from this site are not accepted.")

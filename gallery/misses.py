"""Cache misses cost the upstream (a call with the shop's key) and Redis (an entry kept for a day), so
each client gets UPSTREAM_MISSES_PER_CLIENT of them; what is cached is never limited. Counted in the
rate-limit storage by client IP; outside a request (the CLI, the worker) and while that storage
fails, misses are admitted."""
import logging

from flask import current_app, has_request_context
from flask_limiter.util import get_remote_address
from limits import parse as parse_limit

from .uploads.abuse import limiter

log = logging.getLogger(__name__)


def admit():
    """True when this request's client may cause one more upstream call, which is then counted."""
    if not has_request_context():
        return True
    try:
        item = parse_limit(current_app.config["UPSTREAM_MISSES_PER_CLIENT"])
        return limiter.limiter.hit(item, "gallery", "misses", get_remote_address())
    except Exception as exc:  # noqa: BLE001 - the limits storage failing must not fail the request
        log.warning("miss limit not checked (%s)", type(exc).__name__)
        return True

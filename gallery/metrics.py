"""GET /metrics: this process's counters (gallery/media/observe.py) in the Prometheus text format.

Counters are per process: with several gunicorn workers, each scrape sees the worker that answered,
so sum them by instance in Prometheus rather than reading one scrape as the whole.
"""
import hmac
import re

from flask import Blueprint, current_app, request

from .errors import ApiError
from .media import observe

bp = Blueprint("metrics", __name__)


@bp.before_request
def check_token():
    """With METRICS_TOKEN set, scrapers send `Authorization: Bearer <token>`; others get a 401."""
    token = current_app.config["METRICS_TOKEN"]
    sent = request.headers.get("Authorization", "")
    if token and not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        raise ApiError(401, "unauthorized", "Send the metrics token: Authorization: Bearer <token>.",
                       headers={"WWW-Authenticate": 'Bearer realm="metrics"'})


@bp.get("/metrics")
def metrics():
    lines = []
    for name, value in observe.snapshot():
        name = "gallery_" + re.sub(r"[^A-Za-z0-9_]", "_", name)  # whatever a module counted, a valid metric name
        lines += [f"# TYPE {name} counter", f"{name} {value}"]
    return "\n".join(lines) + "\n", 200, {"Content-Type": "text/plain; version=0.0.4; charset=utf-8",
                                          "Cache-Control": "no-store"}

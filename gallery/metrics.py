"""GET /metrics: this process's counters (gallery/media/observe.py) in the Prometheus text format.

Counters are per process: with several gunicorn workers, each scrape sees the worker that answered,
so sum them by instance in Prometheus rather than reading one scrape as the whole.
"""
import re

from flask import Blueprint

from .media import observe

bp = Blueprint("metrics", __name__)


@bp.get("/metrics")
def metrics():
    lines = []
    for name, value in observe.snapshot():
        name = "gallery_" + re.sub(r"[^A-Za-z0-9_]", "_", name)  # whatever a module counted, a valid metric name
        lines += [f"# TYPE {name} counter", f"{name} {value}"]
    return "\n".join(lines) + "\n", 200, {"Content-Type": "text/plain; version=0.0.4; charset=utf-8",
                                          "Cache-Control": "no-store"}

"""Prometheus metrics (prometheus_client) and GET /metrics.

The domain's observations (gallery/media/observe.py) are bound here to Prometheus's counters and
histograms, and the web layer adds its requests. With PROMETHEUS_MULTIPROC_DIR set (gunicorn.conf.py
sets it for its web workers and the delivery worker it starts: gallery/multiprocess.py), every
process writes its values to its own files there and each scrape sums all of them, so any worker's
/metrics tells the totals. Without it, /metrics tells this process's.
"""
import hmac
import os
import re
import threading

from flask import Blueprint, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client import disable_created_metrics, multiprocess

from .errors import ApiError
from .media import observe

bp = Blueprint("metrics", __name__)
disable_created_metrics()  # the *_created series, which multiprocess mode never has: one exposition either way

REQUESTS = Histogram(
    "gallery_http_request_duration_seconds",
    "Requests answered, by route (the URL rule, never the path), method and status; their duration.",
    ["route", "method", "status"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
UPSTREAM = Histogram(
    "gallery_upstream_request_duration_seconds",
    "Requests sent to a provider, by outcome (ok, or the failure: timeout, unavailable, bad_response, "
    "credentials); their duration.",
    ["provider", "outcome"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
CACHE = Counter("gallery_cache_outcomes", "Cache lookups by outcome: hit, revalidated, miss, stale, "
                "bypass (Redis unavailable).", ["outcome"])
UPLOADS = Counter("gallery_uploads", "Uploads by the status they reached: accepted, rejected (invalid), "
                  "retrying, submitted (delivered to the provider's review), failed.", ["status"])
EVENTS = {  # observe.count(name, **labels); a name not declared here gets a counter of its own on first use
    "answer_memo_hits_total": Counter(
        "gallery_answer_memo_hits", "Answers served from a process's memo of rendered answers."),
    "upstream_failed_fast_total": Counter(
        "gallery_upstream_failed_fast", "Upstream calls not made (breaker open, too many in flight, the "
        "client's share of misses spent, a recent failure): answered stale or with an error.", ["provider"]),
    "upstream_breaker_opened_total": Counter(
        "gallery_upstream_breaker_opened", "Times a provider's circuit breaker opened.", ["provider"]),
    "upstream_in_flight_full_total": Counter(
        "gallery_upstream_in_flight_full", "Upstream calls refused because too many were in flight.", ["provider"]),
    "redis_degraded_total": Counter(
        "gallery_redis_degraded", "Times a process found Redis unavailable and went on without its cache."),
    "report_filter_unavailable_total": Counter(
        "gallery_report_filter_unavailable", "Answers not filtered for reported media (Redis unavailable)."),
    "reports_not_hidden_total": Counter(
        "gallery_reports_not_hidden", "Reports delivered but not hidden (the client hid its share today)."),
}


_declaring = threading.Lock()


def _event(name, labelnames):
    """The counter of observe.count(name): declared above, or made now (a source's own events)."""
    metric = EVENTS.get(name)
    if metric is None:
        with _declaring:
            metric = EVENTS.get(name)
            if metric is None:
                metric = EVENTS[name] = Counter(
                    "gallery_" + re.sub(r"[^A-Za-z0-9_]", "_", name.removesuffix("_total")),
                    f"Events counted as {name}.", sorted(labelnames))
    return metric


class PrometheusSink(observe.Sink):
    def count(self, name, n, labels):
        metric = _event(name, labels)
        (metric.labels(**labels) if labels else metric).inc(n)

    def cache(self, outcome):
        CACHE.labels(outcome).inc()

    def upstream(self, provider, outcome, seconds):
        UPSTREAM.labels(provider, outcome).observe(seconds)

    def upload(self, status):
        UPLOADS.labels(status).inc()


def observe_request(route, method, status, seconds):
    REQUESTS.labels(route or "(unmatched)", method, str(status)).observe(seconds)


def init_app(app):
    observe.bind(PrometheusSink())
    app.register_blueprint(bp)


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
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # every process's files, summed
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry), 200, {"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"}

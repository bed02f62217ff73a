"""Extensions, created once per process and bound to the app in create_app."""
import redis
from flask import current_app

from .olapic import OlapicClient, OlapicSource
from .reports import HidingReported


def init_redis(app):
    app.extensions["redis"] = _connect(app, app.config["REDIS_URL"])
    # Upstream answers, locks and breakers: disposable, so possibly a Redis of their own that may
    # evict (docs/security.md); the same one by default.
    cache_url = app.config["CACHE_REDIS_URL"]
    app.extensions["cache_redis"] = (_connect(app, cache_url) if cache_url and cache_url != app.config["REDIS_URL"]
                                     else app.extensions["redis"])


def _connect(app, url):
    # Short timeouts: a Redis outage must degrade a request, never hang it.
    return redis.Redis.from_url(url, socket_timeout=app.config["REDIS_TIMEOUT"],
                                socket_connect_timeout=app.config["REDIS_TIMEOUT"], health_check_interval=10)


def get_redis():
    return current_app.extensions["redis"]


def init_source(app):
    # One Olapic client (its connection pool, cache session and refresh pool) per process.
    from . import misses  # the web layer's limit on misses; imported here, as it imports the uploads

    olapic = OlapicClient.from_config(app.config, app.extensions["cache_redis"], admit_miss=misses.admit)
    app.extensions["olapic"] = olapic
    # Reported media are left out of every answer at once (gallery/reports.py).
    app.extensions["source"] = HidingReported(OlapicSource(olapic, app.config["OLAPIC_CUSTOMER_ID"]), app.extensions["redis"])


def get_olapic():
    return current_app.extensions["olapic"]


def get_source():
    return current_app.extensions["source"]

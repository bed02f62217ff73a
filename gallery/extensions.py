"""Extensions, created once per process and bound to the app in create_app."""
import redis
from flask import current_app

from .sources.olapic import OlapicClient, OlapicSource
from .media.hiding import HidingReported


def init_redis(app):
    # Short timeouts: a Redis outage must degrade a request, never hang it.
    app.extensions["redis"] = redis.Redis.from_url(
        app.config["REDIS_URL"],
        socket_timeout=app.config["REDIS_TIMEOUT"],
        socket_connect_timeout=app.config["REDIS_TIMEOUT"],
        health_check_interval=10,
    )


def get_redis():
    return current_app.extensions["redis"]


def init_source(app):
    # One Olapic client (its connection pool, cache session and refresh pool) per process.
    olapic = OlapicClient.from_config(app.config, app.extensions["redis"])
    app.extensions["olapic"] = olapic
    # Reported media are left out of every answer at once (gallery/media/hiding.py).
    app.extensions["source"] = HidingReported(OlapicSource(olapic, app.config["OLAPIC_CUSTOMER_ID"]), app.extensions["redis"])


def get_olapic():
    return current_app.extensions["olapic"]


def get_source():
    return current_app.extensions["source"]

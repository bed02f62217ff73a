"""Extensions, created once per process and bound to the app in create_app."""
import redis
from flask import current_app


def init_redis(app):
    # Short timeouts: a Redis outage must degrade a request, never hang it.
    app.extensions["redis"] = redis.Redis.from_url(
        app.config["REDIS_URL"],
        socket_timeout=0.5,
        socket_connect_timeout=0.5,
        health_check_interval=10,
    )


def get_redis():
    return current_app.extensions["redis"]

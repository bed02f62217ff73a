"""Extensions, created once per process and bound to the app in create_app; the web layer reaches
them through these accessors."""
import redis
from flask import current_app


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


def get_registry(app=None):
    """The configured sources (gallery/media/registry.py)."""
    return (app or current_app).extensions["registry"]

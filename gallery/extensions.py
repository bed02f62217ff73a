"""Extensions, created once per process and bound to the app in create_app; the web layer reaches
them through these accessors."""
import redis
from flask import current_app


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


def get_registry(app=None):
    """The configured sources (gallery/media/registry.py)."""
    return (app or current_app).extensions["registry"]

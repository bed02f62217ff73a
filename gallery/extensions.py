"""Extensions, created once per process and bound to the app in create_app; the web layer reaches
them through these accessors."""
from urllib.parse import unquote, urlsplit

import redis
import redis.sentinel
from flask import current_app

SENTINEL = "redis+sentinel://"
SENTINEL_PORT = 26379


def init_redis(app):
    app.extensions["redis"] = _connect(app, app.config["REDIS_URL"])
    # Upstream answers, locks and breakers: disposable, so possibly a Redis of their own that may
    # evict (docs/security.md); the same one by default.
    cache_url = app.config["CACHE_REDIS_URL"]
    app.extensions["cache_redis"] = (_connect(app, cache_url) if cache_url and cache_url != app.config["REDIS_URL"]
                                     else app.extensions["redis"])


def _connect(app, url):
    # Short timeouts: a Redis outage must degrade a request, never hang it.
    return connect(url, socket_timeout=app.config["REDIS_TIMEOUT"],
                   socket_connect_timeout=app.config["REDIS_TIMEOUT"], health_check_interval=10)


def connect(url, **options):
    """A client of the Redis at `url`, through redis-py's own support (docs/operations.md):

    - redis://, unix://, and rediss:// (TLS; redis-py's ssl_* query options, e.g.
      ?ssl_ca_certs=/etc/ssl/redis-ca.pem, or ssl_cert_reqs=none for a self-signed server);
    - redis+sentinel://[[user]:password@]host[:port][,host[:port]...]/service: the current primary of
      the service its Sentinels name, followed across a failover (redis.sentinel.Sentinel). The
      credentials are the primary's and the Sentinels' alike; database 0. This is the URL that
      flask-limiter's storage (limits) reads too.
    """
    if not url.startswith(SENTINEL):
        return redis.Redis.from_url(url, **options)
    parts = urlsplit(url)
    sentinels = [(host, int(port or SENTINEL_PORT)) for host, _, port in
                 (address.partition(":") for address in parts.netloc.rpartition("@")[2].split(","))]
    auth = {name: unquote(value) for name, value in (("username", parts.username), ("password", parts.password))
            if value}
    timeouts = {name: options[name] for name in ("socket_timeout", "socket_connect_timeout") if name in options}
    sentinel = redis.sentinel.Sentinel(sentinels, sentinel_kwargs={**auth, **timeouts}, **auth, **options)
    return sentinel.master_for(parts.path.strip("/"))


def get_redis():
    return current_app.extensions["redis"]


def get_registry(app=None):
    """The configured sources (gallery/media/registry.py)."""
    return (app or current_app).extensions["registry"]

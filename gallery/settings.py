"""Configuration, read from the environment in this one place: the service's own settings here, each
source's section from its plug-in (gallery/sources/<name>/settings.py).

With no credentials of any source the service runs in sandbox mode, every source that has a sandbox
against its own; with no REDIS_URL, `make run` and `python app.py` start an embedded Redis (see
embedded.py). Neither needs an account or credentials.
"""
import hashlib
import os

from . import sources


def _int(environ, name, default):
    return int(environ.get(name) or default)


def _float(environ, name, default):
    return float(environ.get(name) or default)


def _list(environ, name, default):
    raw = environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _pairs(environ, name):
    """`a:x,b:y` as {"a": "x", "b": "y"} (an item without ":" maps to "")."""
    return dict((item.partition(":")[0].strip(), item.partition(":")[2].strip())
                for item in _list(environ, name, []))


def sandbox_url(port):
    """Where an embedded sandbox listens in sandbox mode."""
    return f"http://127.0.0.1:{port}"


def sandbox_port(config, plugin):
    """The port of `plugin`'s sandbox: SANDBOX_PORT (default PORT + 1) for Olapic, the next ones after."""
    return config["SANDBOX_PORT"] + plugin.sandbox.port_offset - 1


def from_env(environ=None):
    """Return the Flask config mapping for `environ` (default: os.environ)."""
    environ = os.environ if environ is None else environ
    # A sandbox's URL is no credential: the embedded defaults export it to the processes they fork.
    sandbox = not any(environ.get(name) for plugin in sources.PLUGINS for name in plugin.credentials
                      if not (plugin.sandbox and name == plugin.sandbox.url_setting))
    port = _int(environ, "PORT", 5000)
    config = {"SANDBOX_MODE": sandbox, "PORT": port, "SANDBOX_PORT": _int(environ, "SANDBOX_PORT", port + 1)}
    for plugin in sources.PLUGINS:  # each source's own section
        url = sandbox_url(sandbox_port(config, plugin)) if sandbox and plugin.sandbox else None
        config.update(plugin.settings(environ, url))
    credentials = "\0".join(str(config.get(name, "")) for plugin in sources.PLUGINS for name in plugin.credentials)
    # Cursors are encrypted with this. Derived from the credentials when unset, so every worker and
    # instance agrees without extra setup, and clients still cannot forge it.
    secret = environ.get("SECRET_KEY") or hashlib.sha256(b"gallery-secret:" + credentials.encode()).hexdigest()
    return {
        **config,
        # The configured providers, in this order (the first serves listings without providers=),
        # and the one shoppers' uploads and reports go to (default: the one that takes uploads,
        # Olapic when several do). See gallery/sources/__init__.py.
        "GALLERY_PROVIDERS": _list(environ, "GALLERY_PROVIDERS", []),
        "UPLOAD_PROVIDER": environ.get("UPLOAD_PROVIDER", ""),
        # How a listing drawing from several providers mixes them when it names no `mix`:
        # interleave (equal weights), sequence, or weights such as olapic:2,momapix:1 (docs/api.md).
        "GALLERY_MIX": environ.get("GALLERY_MIX") or "interleave",
        # Each provider's media kind where it differs from the one its source declares (Olapic ugc,
        # the DAMs brand), e.g. momapix:ugc; and the credit brand media carry (sandbox: "Acme").
        "GALLERY_KINDS": _pairs(environ, "GALLERY_KINDS"),
        "BRAND_CREDIT": environ.get("BRAND_CREDIT", "Acme" if sandbox else ""),
        "REDIS_URL": environ.get("REDIS_URL", ""),
        "SECRET_KEY": secret,
        "REDIS_TIMEOUT": _float(environ, "REDIS_TIMEOUT", 1.0),
        "UPSTREAM_CONNECT_TIMEOUT": _float(environ, "UPSTREAM_CONNECT_TIMEOUT", 1.0),
        "UPSTREAM_READ_TIMEOUT": _float(environ, "UPSTREAM_READ_TIMEOUT", 2.5),
        # How long a gallery is still served after its freshness ran out, while the upstream fails.
        "STALE_IF_ERROR": _int(environ, "STALE_IF_ERROR", 86400),
        "STALE_WHILE_REVALIDATE": _int(environ, "STALE_WHILE_REVALIDATE", 60),
        # A hung upstream (gallery/upstream/breaker.py): after this many calls without an answer the
        # circuit opens this many seconds (stale served, unseen answers failing fast); at most
        # UPSTREAM_MAX_IN_FLIGHT calls wait on an upstream at once per process (gunicorn has 8 threads).
        "UPSTREAM_BREAKER_THRESHOLD": _int(environ, "UPSTREAM_BREAKER_THRESHOLD", 3),
        "UPSTREAM_BREAKER_OPEN_SECONDS": _int(environ, "UPSTREAM_BREAKER_OPEN_SECONDS", 10),
        "UPSTREAM_MAX_IN_FLIGHT": _int(environ, "UPSTREAM_MAX_IN_FLIGHT", 4),
        # Upstream calls (cache misses) one client IP may cause (gallery/misses.py); hits are unlimited.
        "UPSTREAM_MISSES_PER_CLIENT": environ.get("UPSTREAM_MISSES_PER_CLIENT") or "120 per minute",
        # Where upstream answers are cached, apart from what must never be evicted (docs/security.md).
        "CACHE_REDIS_URL": environ.get("CACHE_REDIS_URL", ""),
        "CORS_ORIGINS": _list(environ, "CORS_ORIGINS", ["*"] if sandbox else []),
        "LOG_LEVEL": environ.get("LOG_LEVEL", "INFO"),
        # Shopper uploads and reports (gallery/uploads/, gallery/media/hiding.py).
        "UPLOAD_MAX_BYTES": _int(environ, "UPLOAD_MAX_BYTES", 20 * 1024 * 1024),  # also sets MAX_CONTENT_LENGTH
        "UPLOAD_MAX_PIXELS": _int(environ, "UPLOAD_MAX_PIXELS", 50_000_000),
        # Each upload is cleaned in a child process capped at this much address space and CPU, at most
        # UPLOAD_CLEAN_CONCURRENCY at once per web process, waiting up to UPLOAD_CLEAN_WAIT s for a turn
        # (gallery/uploads/cleaning.py). A 50 MP WebP needs about 1 GiB to decode.
        "UPLOAD_CLEAN_MAX_MEMORY": _int(environ, "UPLOAD_CLEAN_MAX_MEMORY", 1024 * 2**20),
        "UPLOAD_CLEAN_MAX_CPU_SECONDS": _int(environ, "UPLOAD_CLEAN_MAX_CPU_SECONDS", 20),
        "UPLOAD_CLEAN_CONCURRENCY": _int(environ, "UPLOAD_CLEAN_CONCURRENCY", 2),
        "UPLOAD_CLEAN_WAIT": _float(environ, "UPLOAD_CLEAN_WAIT", 10.0),
        "UPLOAD_LIMITS_PER_IP": environ.get("UPLOAD_LIMITS_PER_IP") or "10 per minute;50 per day",
        "UPLOAD_LIMITS_PER_EMAIL": environ.get("UPLOAD_LIMITS_PER_EMAIL") or "5 per hour;20 per day",
        "REPORT_LIMITS_PER_IP": environ.get("REPORT_LIMITS_PER_IP") or "10 per hour",
        "REPORT_LIMITS_PER_EMAIL": environ.get("REPORT_LIMITS_PER_EMAIL") or "10 per day",
        # Seconds between delivery attempts while the upstream fails; after the last, the upload fails.
        "UPLOAD_RETRY_DELAYS": [int(d) for d in _list(environ, "UPLOAD_RETRY_DELAYS", ["10", "60", "300", "900", "3600"])],
        "UPLOAD_READ_TIMEOUT": _float(environ, "UPLOAD_READ_TIMEOUT", 30.0),  # the upstream reads a whole photo
        "UPLOAD_TTL": _int(environ, "UPLOAD_TTL", 7 * 86400),  # how long upload records and bytes are kept
        "REPORT_HIDE_SECONDS": _int(environ, "REPORT_HIDE_SECONDS", 7 * 86400),
        # How many media one client (an IP, an email) may hide; its further reports are forwarded
        # upstream but hide nothing. Operators list and restore hidden media: `flask gallery hidden`.
        "REPORT_HIDES_PER_CLIENT": environ.get("REPORT_HIDES_PER_CLIENT") or "3 per day",
        "TERMS_URL": environ.get("TERMS_URL", ""),
        # Proxies in front of the service (a PaaS router, a load balancer) whose X-Forwarded-For and
        # -Proto to believe: the client IP of the rate limits, the https of the URLs we hand out.
        "TRUSTED_PROXIES": _int(environ, "TRUSTED_PROXIES", 0),
        # The service's canonical origin, e.g. https://ugc.shop.example: every absolute or
        # protocol-relative link it hands out is built from it, never from Host (gallery/links.py).
        "PUBLIC_URL": (environ.get("PUBLIC_URL") or "").rstrip("/"),
        # When set, GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>`.
        "METRICS_TOKEN": environ.get("METRICS_TOKEN", ""),
    }

"""Configuration, read from the environment in this one place.

With no OLAPIC_API_KEY the service runs in sandbox mode against the bundled Olapic sandbox; with no
REDIS_URL it starts an embedded Redis (see embedded.py). Both need no account and no credentials.
"""
import hashlib
import os

OLAPIC_PRODUCTION_URL = "https://photorankapi-a.akamaihd.net"
SANDBOX_API_KEY = "sandbox"


def _int(environ, name, default):
    return int(environ.get(name) or default)


def _float(environ, name, default):
    return float(environ.get(name) or default)


def _list(environ, name, default):
    raw = environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def from_env(environ=None):
    """Return the Flask config mapping for `environ` (default: os.environ)."""
    environ = os.environ if environ is None else environ
    api_key = environ.get("OLAPIC_API_KEY", "")
    sandbox = not api_key
    port = _int(environ, "PORT", 5000)
    sandbox_port = _int(environ, "SANDBOX_PORT", port + 1)
    api_key = api_key or SANDBOX_API_KEY
    api_url = environ.get("OLAPIC_API_URL") or (
        f"http://127.0.0.1:{sandbox_port}" if sandbox else OLAPIC_PRODUCTION_URL
    )
    # Cursors are signed with this. Derived from the API key when unset, so every worker and
    # instance agrees without extra setup, and clients still cannot forge it.
    secret = environ.get("SECRET_KEY") or hashlib.sha256(b"gallery-secret:" + api_key.encode()).hexdigest()
    return {
        "SANDBOX_MODE": sandbox,
        "OLAPIC_API_KEY": api_key,
        "OLAPIC_API_URL": api_url.rstrip("/"),
        "OLAPIC_CUSTOMER_ID": environ.get("OLAPIC_CUSTOMER_ID", ""),
        "REDIS_URL": environ.get("REDIS_URL", ""),
        "PORT": port,
        "SANDBOX_PORT": sandbox_port,
        "SECRET_KEY": secret,
        "UPSTREAM_CONNECT_TIMEOUT": _float(environ, "UPSTREAM_CONNECT_TIMEOUT", 1.0),
        "UPSTREAM_READ_TIMEOUT": _float(environ, "UPSTREAM_READ_TIMEOUT", 2.5),
        # How long a gallery is still served after its freshness ran out, while the upstream fails.
        "STALE_IF_ERROR": _int(environ, "STALE_IF_ERROR", 86400),
        "STALE_WHILE_REVALIDATE": _int(environ, "STALE_WHILE_REVALIDATE", 60),
        "CORS_ORIGINS": _list(environ, "CORS_ORIGINS", ["*"] if sandbox else []),
        "LOG_LEVEL": environ.get("LOG_LEVEL", "INFO"),
    }

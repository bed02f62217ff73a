"""Host allow-lists for URLs an upstream hands us to send bytes to (presigned and signed upload URLs):
the shopper's photo goes only to hosts the operator configured, never anywhere an answer names."""
from urllib.parse import urlsplit


def patterns(value):
    """A setting's host patterns (`host[:port]`, `*.` for any subdomain; comma-separated text or
    already a list), lower-cased."""
    items = value.split(",") if isinstance(value, str) else value or ()
    return tuple(h.strip().lower() for h in items if h.strip())


def allowed(url, host_patterns):
    """Whether `url` is http(s) on a host matching one of `host_patterns`, the whole host compared."""
    parts = urlsplit(url)
    host = parts.netloc.lower()
    return parts.scheme in ("http", "https") and "@" not in host and any(_matches(host, p) for p in host_patterns)


def host(url):
    """`url`'s host, short enough for a log line (the URL itself may carry a signature: never logged)."""
    return urlsplit(url).netloc.lower()[:100]


def _matches(host_name, pattern):
    if pattern.startswith("*."):
        return host_name.endswith(pattern[1:]) and len(host_name) > len(pattern) - 1
    return host_name == pattern

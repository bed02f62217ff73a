"""Mediagraph's settings section. Credentials: MEDIAGRAPH_API_URL, MEDIAGRAPH_TOKEN (a personal access
token) and MEDIAGRAPH_ORGANIZATION_ID; the rest says how this organization is set up."""
import json
from urllib.parse import urlsplit

from ...upstream import hosts

# The sandbox's seeded organization (sandboxes/mediagraph): public, like the sandbox itself.
SANDBOX = {"MEDIAGRAPH_TOKEN": "mg-sandbox-pat", "MEDIAGRAPH_ORGANIZATION_ID": "100",
           "MEDIAGRAPH_PRODUCTS_PARENT_ID": "1073068402", "MEDIAGRAPH_CONTRIBUTION_ID": "1025838234",
           "MEDIAGRAPH_URL_TTL": "1800", "MEDIAGRAPH_THUMB_BOX": "150", "MEDIAGRAPH_GRID_BOX": "320",
           "MEDIAGRAPH_WEBHOOK_SECRET": "mg-sandbox-webhook-secret"}


def _int(value, name):
    try:
        return int(value) if value not in (None, "") and not isinstance(value, bool) else None
    except ValueError:
        raise ValueError(f"{name} must be an integer, not {value!r}") from None


def _collections(raw):
    """MEDIAGRAPH_COLLECTIONS: a JSON object {"<tag key>": <collection id>} (keys are opaque text)."""
    if not raw:
        return {}
    try:
        mapping = json.loads(raw)
    except ValueError:
        raise ValueError("MEDIAGRAPH_COLLECTIONS must be a JSON object of tag key -> collection id") from None
    if not isinstance(mapping, dict) or not all(str(v).isascii() and str(v).isdigit() for v in mapping.values()):
        raise ValueError("MEDIAGRAPH_COLLECTIONS must be a JSON object of tag key -> collection id")
    return {str(k): str(v) for k, v in mapping.items()}


# Where real Mediagraph's signed upload URLs point: its S3 bucket (the documents' sample bucket is
# "tandemvault-asset-uploads-test"; the URLs themselves are undocumented).
S3_HOSTS = ("*.s3.amazonaws.com",)


def upload_hosts(config):
    """The hosts a signed upload URL may name: MEDIAGRAPH_UPLOAD_HOSTS, else the API's own (the
    sandbox's, in sandbox mode) and S3's."""
    api_host = urlsplit(config.get("MEDIAGRAPH_API_URL") or "").netloc.lower()
    return config["MEDIAGRAPH_UPLOAD_HOSTS"] or tuple(filter(None, (api_host, *S3_HOSTS)))


NUMBERS = ("MEDIAGRAPH_PRODUCTS_PARENT_ID", "MEDIAGRAPH_CATEGORIES_PARENT_ID", "MEDIAGRAPH_CONTRIBUTION_ID",
           "MEDIAGRAPH_CACHE_SECONDS", "MEDIAGRAPH_URL_TTL", "MEDIAGRAPH_PAGE_SIZE", "MEDIAGRAPH_THUMB_BOX",
           "MEDIAGRAPH_GRID_BOX")


def section(config):
    """The section as build() reads it: numbers as numbers even when given as text (e.g. straight from
    a sandbox catalogue's credentials), the categories' parent defaulting to the products'."""
    out = {name: config.get(name) for name in config if name.startswith("MEDIAGRAPH_")}
    for name in NUMBERS:
        out[name] = _int(out.get(name), name)
    out["MEDIAGRAPH_CATEGORIES_PARENT_ID"] = (out["MEDIAGRAPH_CATEGORIES_PARENT_ID"]
                                              or out["MEDIAGRAPH_PRODUCTS_PARENT_ID"])
    out["MEDIAGRAPH_CACHE_SECONDS"] = out["MEDIAGRAPH_CACHE_SECONDS"] or 300
    out["MEDIAGRAPH_PAGE_SIZE"] = min(100, out["MEDIAGRAPH_PAGE_SIZE"] or 50)
    out["MEDIAGRAPH_UPLOAD_HOSTS"] = hosts.patterns(out.get("MEDIAGRAPH_UPLOAD_HOSTS"))
    return {**config, **out}


def from_env(environ, sandbox_url):
    """`sandbox_url`: where its sandbox listens in sandbox mode (None otherwise)."""
    def get(name, default=""):
        return environ.get(name) or (SANDBOX.get(name, "") if sandbox_url else "") or default

    return section({
        "MEDIAGRAPH_API_URL": (environ.get("MEDIAGRAPH_API_URL") or sandbox_url or "").rstrip("/"),
        "MEDIAGRAPH_TOKEN": get("MEDIAGRAPH_TOKEN"),
        "MEDIAGRAPH_ORGANIZATION_ID": get("MEDIAGRAPH_ORGANIZATION_ID"),
        # Products: the collection named exactly by the tag key under this parent collection, unless
        # MEDIAGRAPH_COLLECTIONS maps the key to a collection id. Categories: the same, under their parent.
        "MEDIAGRAPH_PRODUCTS_PARENT_ID": get("MEDIAGRAPH_PRODUCTS_PARENT_ID"),
        "MEDIAGRAPH_CATEGORIES_PARENT_ID": get("MEDIAGRAPH_CATEGORIES_PARENT_ID"),
        "MEDIAGRAPH_COLLECTIONS": _collections(environ.get("MEDIAGRAPH_COLLECTIONS")),
        # Shoppers' uploads go into this contribution ("upload link"), whose reviewers approve them
        # into the product collection.
        "MEDIAGRAPH_CONTRIBUTION_ID": get("MEDIAGRAPH_CONTRIBUTION_ID"),
        # The hosts its signed upload URLs may name (comma-separated host[:port]; "*." for any
        # subdomain). Unset: upload_hosts(), the API's host and S3's. A URL elsewhere is never PUT.
        "MEDIAGRAPH_UPLOAD_HOSTS": environ.get("MEDIAGRAPH_UPLOAD_HOSTS"),
        # Mediagraph's Cache-Control (Rails: max-age=0) is no freshness: ours, in seconds.
        "MEDIAGRAPH_CACHE_SECONDS": environ.get("MEDIAGRAPH_CACHE_SECONDS"),
        # Seconds its image URLs stay valid after they were served, at least (undocumented: the
        # organization's CDN signing). Caps every freshness and stale window. 0: they never expire.
        "MEDIAGRAPH_URL_TTL": get("MEDIAGRAPH_URL_TTL", "3600"),
        # per_page asked of asset searches (Mediagraph documents no maximum; the sandbox allows 100).
        "MEDIAGRAPH_PAGE_SIZE": environ.get("MEDIAGRAPH_PAGE_SIZE"),
        # The pixel boxes thumb_url and grid_url fit inside, when known (the documents give none).
        "MEDIAGRAPH_THUMB_BOX": get("MEDIAGRAPH_THUMB_BOX", "0"),
        "MEDIAGRAPH_GRID_BOX": get("MEDIAGRAPH_GRID_BOX", "0"),
        # The webhook receiver listens on /webhooks/mediagraph/<secret> when this is set.
        "MEDIAGRAPH_WEBHOOK_SECRET": get("MEDIAGRAPH_WEBHOOK_SECRET"),
        # Also post each shopper report as a comment on the product collection, for its reviewers.
        "MEDIAGRAPH_REPORT_COMMENTS": (environ.get("MEDIAGRAPH_REPORT_COMMENTS") or "").lower() in ("1", "true", "yes"),
    })

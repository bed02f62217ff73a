"""Acquia DAM's settings section (Acquia DAM Classic, formerly Webdam: REST API v2). Credentials: an API
seat's ACQUIA_DAM_CLIENT_ID, ACQUIA_DAM_CLIENT_SECRET, ACQUIA_DAM_USERNAME and ACQUIA_DAM_PASSWORD (the
OAuth2 password grant); the rest says how this account is set up."""
from urllib.parse import urlsplit

from ...upstream import hosts

API_URL = "https://apiv2.webdamdb.com"
# The documented thumbnail_ttl values, in seconds (None: the URLs never expire).
THUMBNAIL_TTLS = {"+3 min": 180, "+15 min": 900, "+2 hours": 7200, "+1 day": 86400, "+2 weeks": 1209600,
                  "no-expiration": None}
# The sandbox's defaults (sandboxes/acquia_dam): public, like the sandbox itself.
SANDBOX = {"ACQUIA_DAM_CLIENT_ID": "sandbox-client", "ACQUIA_DAM_CLIENT_SECRET": "sandbox-client-secret",
           "ACQUIA_DAM_USERNAME": "api-seat", "ACQUIA_DAM_PASSWORD": "sandbox-password",
           "ACQUIA_DAM_REVIEW_FOLDER": "90700", "ACQUIA_DAM_UPGRADE_HTTP": "0"}


def _int(environ, name, default=None):
    raw = environ.get(name)
    return int(raw) if raw not in (None, "") else default


def number(value, default=None):
    """A setting as an int, whether from the environment (text) or already one."""
    return int(value) if value not in (None, "") else default


def flag(value):
    return value not in ("0", "false", "no", "", None, False)


def from_env(environ, sandbox_url):
    """`sandbox_url`: where its sandbox listens in sandbox mode (None otherwise)."""
    def get(name, default=""):
        value = environ.get(name)
        if value not in (None, ""):
            return value
        return (SANDBOX.get(name, "") if sandbox_url else "") or default

    ttl = get("ACQUIA_DAM_THUMBNAIL_TTL", "+1 day")
    if ttl not in THUMBNAIL_TTLS:
        raise ValueError(f"ACQUIA_DAM_THUMBNAIL_TTL must be one of {', '.join(THUMBNAIL_TTLS)}")
    prefix = get("ACQUIA_DAM_UPLOAD_PREFIX", "/ws")
    sandbox_host = urlsplit(sandbox_url).netloc if sandbox_url else ""
    return {
        "ACQUIA_DAM_API_URL": (environ.get("ACQUIA_DAM_API_URL") or sandbox_url or API_URL).rstrip("/"),
        "ACQUIA_DAM_CLIENT_ID": get("ACQUIA_DAM_CLIENT_ID"),
        "ACQUIA_DAM_CLIENT_SECRET": get("ACQUIA_DAM_CLIENT_SECRET"),
        "ACQUIA_DAM_USERNAME": get("ACQUIA_DAM_USERNAME"),
        "ACQUIA_DAM_PASSWORD": get("ACQUIA_DAM_PASSWORD"),
        # The folder shoppers' uploads go into (their metadata template should require a field, so
        # they land "onhold"); empty: no uploads.
        "ACQUIA_DAM_REVIEW_FOLDER": get("ACQUIA_DAM_REVIEW_FOLDER"),
        # Asked on every read: how long the thumbnail URLs in an answer live. Our freshness and
        # stale windows stay inside it (see catalogue.py).
        "ACQUIA_DAM_THUMBNAIL_TTL": ttl,
        # Seconds before their expiry that thumbnail URLs are no longer handed out (a page needs time
        # to load them); empty: a quarter of the TTL, at most 300.
        "ACQUIA_DAM_URL_MARGIN": _int(environ, "ACQUIA_DAM_URL_MARGIN"),
        # The API sends no Cache-Control: how long its answers are fresh here (capped by the TTL).
        "ACQUIA_DAM_EXPIRE_AFTER": _int(environ, "ACQUIA_DAM_EXPIRE_AFTER", 300),
        # http:// thumbnail URLs (the document's) become https://, so https shop pages get no mixed content.
        "ACQUIA_DAM_UPGRADE_HTTP": flag(get("ACQUIA_DAM_UPGRADE_HTTP", "1")),
        # generateupload and finishupload live under /ws in the document's curls (and without it in its
        # headings): the prefix this account answers on ("" for none).
        "ACQUIA_DAM_UPLOAD_PREFIX": "" if prefix in ("none", "/") else "/" + prefix.strip("/"),
        # The hosts a presigned upload URL may point to (comma-separated; "*." for any subdomain).
        "ACQUIA_DAM_UPLOAD_HOSTS": hosts.patterns(environ.get("ACQUIA_DAM_UPLOAD_HOSTS") or sandbox_host
                                         or "webdamuploads.s3.amazonaws.com,*.s3.amazonaws.com"),
        # The XMP field our uploads carry the product's tag key in (curators move them there).
        "ACQUIA_DAM_PRODUCT_FIELD": environ.get("ACQUIA_DAM_PRODUCT_FIELD") or "customfield1",
        # Seconds between polls of GET /notifications (the change feed) by the worker; 0: never.
        "ACQUIA_DAM_CHANGES_SECONDS": _int(environ, "ACQUIA_DAM_CHANGES_SECONDS", 60),
    }

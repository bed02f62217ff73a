"""MomaPIX's settings section. Credentials: MOMAPIX_API_URL (each installation has its own),
MOMAPIX_API_KEY, MOMAPIX_USERNAME and MOMAPIX_PASSWORD; the rest says how this installation is set up."""

# The sandbox's defaults (sandboxes/momapix): public, like the sandbox itself.
SANDBOX = {"MOMAPIX_API_KEY": "momapix-sandbox-apikey", "MOMAPIX_USERNAME": "client1",
           "MOMAPIX_PASSWORD": "client1-sandbox-password", "MOMAPIX_THUMB_BOX": "150", "MOMAPIX_PREVIEW_BOX": "640"}


def _int(environ, name, default=None):
    raw = environ.get(name)
    return int(raw) if raw not in (None, "") else default


def from_env(environ, sandbox_url):
    """`sandbox_url`: where its sandbox listens in sandbox mode (None otherwise)."""
    def get(name, default=""):
        return environ.get(name) or (SANDBOX.get(name, "") if sandbox_url else "") or default

    return {
        "MOMAPIX_API_URL": (environ.get("MOMAPIX_API_URL") or sandbox_url or "").rstrip("/"),
        "MOMAPIX_API_KEY": get("MOMAPIX_API_KEY"),
        "MOMAPIX_USERNAME": get("MOMAPIX_USERNAME"),
        "MOMAPIX_PASSWORD": get("MOMAPIX_PASSWORD"),
        # MomaPIX sends no Cache-Control: how long its answers are fresh here.
        "MOMAPIX_CACHE_SECONDS": _int(environ, "MOMAPIX_CACHE_SECONDS", 300),
        # The page[size] asked of lightbox items (the server rounds it; meta.page.size says what it used).
        "MOMAPIX_PAGE_SIZE": _int(environ, "MOMAPIX_PAGE_SIZE", 100),
        # The pixel boxes url_thumb_m and url_thumb_l fit inside, when the installation says (the
        # document gives none): with them, renditions get widths and srcset works.
        "MOMAPIX_THUMB_BOX": int(get("MOMAPIX_THUMB_BOX", "0")),
        "MOMAPIX_PREVIEW_BOX": int(get("MOMAPIX_PREVIEW_BOX", "0")),
        # Seconds its image URLs stay valid, when the installation signs them (caps our freshness).
        "MOMAPIX_URLS_VALID_FOR": _int(environ, "MOMAPIX_URLS_VALID_FOR"),
        # How a product finds its lightbox: "lightboxes" (list the account's lightboxes and match the
        # field exactly) or "search" (an MQL search, for keys without reserved characters).
        "MOMAPIX_PRODUCT_LOOKUP": environ.get("MOMAPIX_PRODUCT_LOOKUP") or "lightboxes",
        "MOMAPIX_LIGHTBOX_FIELD": environ.get("MOMAPIX_LIGHTBOX_FIELD") or "description",
        # Server-defined item attributes our uploads fill (the installation's names for them).
        "MOMAPIX_REFERENCE_FIELD": environ.get("MOMAPIX_REFERENCE_FIELD") or "reference",
        "MOMAPIX_PRODUCT_FIELD": environ.get("MOMAPIX_PRODUCT_FIELD") or "product_code",
        "MOMAPIX_BYLINE_FIELD": environ.get("MOMAPIX_BYLINE_FIELD") or "byline",
    }

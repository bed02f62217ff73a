"""Olapic's settings section: OLAPIC_API_KEY (its credentials), OLAPIC_API_URL, OLAPIC_CUSTOMER_ID."""
PRODUCTION_URL = "https://photorankapi-a.akamaihd.net"
SANDBOX_API_KEY = "sandbox"  # the sandbox's default key: public, like the sandbox itself


def from_env(environ, sandbox_url):
    """`sandbox_url`: where its sandbox listens in sandbox mode (None otherwise)."""
    key = environ.get("OLAPIC_API_KEY") or (SANDBOX_API_KEY if sandbox_url else "")
    url = environ.get("OLAPIC_API_URL") or sandbox_url or PRODUCTION_URL
    return {
        "OLAPIC_API_KEY": key,
        "OLAPIC_API_URL": url.rstrip("/"),
        # The customer the key belongs to: discovered from the root endpoint when unset.
        "OLAPIC_CUSTOMER_ID": environ.get("OLAPIC_CUSTOMER_ID", ""),
    }

"""The probe (for /readyz and `gallery check`) over the sandbox: what it found, in words naming the
settings to check, never a credential."""
from tests.support import sandboxes
from tests.support.processes import free_port


def test_the_probe_says_what_is_wrong(make_source, momapix):
    # Refused first: a login that succeeded shares its session in Redis with every source built on it.
    refused = make_source(MOMAPIX_PASSWORD="not-the-password").probe()
    assert refused.status == "credentials" and "MOMAPIX_PASSWORD" in refused.checks[0].message
    assert "not-the-password" not in refused.checks[0].message
    ok = make_source().probe()
    assert ok.status == "ok" and "lightboxes" in ok.checks[0].message
    sandboxes.fault(momapix, path_prefix="/rest/lightboxes", status=404, count=1)
    missing = make_source().probe()
    assert (missing.status, missing.checks[0].message) == (
        "http 404", f"MomaPIX at {momapix} answered HTTP 404 to the lightbox listing.")
    sandboxes.fault(momapix, path_prefix="/rest/lightboxes", body="malformed", count=1)
    garbled = make_source().probe()
    assert garbled.status == "bad_response" and "MOMAPIX_API_URL" in garbled.checks[0].message
    nowhere = f"http://127.0.0.1:{free_port()}"
    unreachable = make_source(MOMAPIX_API_URL=nowhere).probe()
    assert unreachable.status == "unavailable" and f"Cannot reach MomaPIX at {nowhere}" in unreachable.checks[0].message

"""The probe (for /readyz and `gallery check`) over the sandbox: what it found, in words naming the
settings to check, never a credential."""
from tests.support import sandboxes
from tests.support.processes import free_port


def test_the_probe_says_what_is_wrong(make_source, acquia, ad_catalogue):
    # Refused first: a seat that got in shares its tokens in Redis with every source built on it.
    refused = make_source(ACQUIA_DAM_PASSWORD="not-the-password").probe()
    assert refused.status == "credentials" and "ACQUIA_DAM_PASSWORD" in refused.checks[0].message
    assert "not-the-password" not in refused.checks[0].message
    assert make_source().probe().status == "ok"
    sandboxes.fault(acquia, path_prefix="/users/me", status=404, count=1)
    missing = make_source().probe()
    assert (missing.status, missing.checks[0].message) == (
        "http 404", f"Acquia DAM at {acquia} answered HTTP 404 to GET /users/me.")
    sandboxes.fault(acquia, path_prefix="/users/me", body="malformed", count=1)
    garbled = make_source().probe()
    assert garbled.status == "bad_response" and "ACQUIA_DAM_API_URL" in garbled.checks[0].message
    nowhere = f"http://127.0.0.1:{free_port()}"
    unreachable = make_source(nowhere, ACQUIA_DAM_API_URL=nowhere).probe()
    assert unreachable.status == "unavailable" and f"Cannot reach Acquia DAM at {nowhere}" in unreachable.checks[0].message

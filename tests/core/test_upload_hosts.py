"""The upload host allow-list (gallery/upstream/hosts.py) that guards where a shopper's bytes are PUT."""
import pytest

from gallery.upstream import hosts

PATTERNS = hosts.patterns(" WebdamUploads.s3.amazonaws.com, *.s3.amazonaws.com ,127.0.0.1:5003")


@pytest.mark.parametrize("url", [
    "https://webdamuploads.s3.amazonaws.com/k?X-Amz-Signature=s",
    "https://bucket.s3.amazonaws.com/k",
    "http://127.0.0.1:5003/_s3/k",
])
def test_configured_hosts_are_allowed(url):
    assert hosts.allowed(url, PATTERNS)


@pytest.mark.parametrize("url", [
    "https://" + "a" * 83 + ".s3.amazonaws.com.evil.example/k",  # the whole host is compared, never a cut of it
    "https://s3.amazonaws.com.evil.example/k",
    "https://s3.amazonaws.com/k",  # the bare parent is not a subdomain
    "https://user@bucket.s3.amazonaws.com/k",
    "ftp://bucket.s3.amazonaws.com/k",
    "https://127.0.0.1:5004/_s3/k",
    "/relative/k",
])
def test_any_other_host_is_refused(url):
    assert not hosts.allowed(url, PATTERNS)

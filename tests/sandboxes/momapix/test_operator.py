"""Operator endpoints under /_sandbox/ (docs/sandbox.md, "Operator endpoints" and "MomaPIX sandbox")."""
import requests

from .helpers import API_KEY, PASSWORD, Client, assert_error


def test_catalogue_lists_credentials_products_and_hidden_media(mpx, catalogue):
    creds = catalogue["credentials"]
    assert creds == {"MOMAPIX_API_URL": mpx.base, "MOMAPIX_API_KEY": API_KEY,
                     "MOMAPIX_USERNAME": "client1", "MOMAPIX_PASSWORD": PASSWORD,
                     "MOMAPIX_THUMB_BOX": 150, "MOMAPIX_PREVIEW_BOX": 640}
    for key in ("acme-anvil-50lb", "test-0-media", "test-1-media", "test-520-media"):
        assert key in catalogue["products"]
    assert catalogue["products"]["test-520-media"]["media"] == 520
    assert catalogue["products"]["acme-anvil-50lb"]["media"] == 6
    assert catalogue["fractional_id"] == "2241780.3"
    # every hidden item really is private, trashed, audio or text
    for item_id in catalogue["hidden_media"][:20]:
        attrs = mpx.ok(f"/rest/item/{item_id}", **{"fields[item]": "section,archive"})["data"]["attributes"]
        assert attrs["section"] != "public" or attrs["archive"] in ("audio", "text")


def test_request_log_redacts_the_apikey_the_bearer_and_the_password(mpx):
    mpx.op("DELETE", "/requests")
    mpx.get("/rest/item/2240001", **{"fields[item]": "title"})
    mpx.login()
    entries = mpx.op("GET", "/requests")["requests"]
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("GET", "/rest/item/2240001", 200), ("POST", "/rest/session", 200)]
    assert entries[0]["query"] == {"fields[item]": "title"}
    assert entries[0]["headers"]["Apikey"] == "[redacted]" and entries[0]["headers"]["Authorization"] == "[redacted]"
    raw = requests.get(mpx.base + "/_sandbox/requests", timeout=10).text
    for secret in (API_KEY, PASSWORD, mpx.token):
        assert secret not in raw


def test_a_429_fault_answers_a_json_api_error_with_retry_after(mpx):
    mpx.op("POST", "/faults", json={"path_prefix": "/rest/lightbox", "status": 429, "count": 1,
                                    "headers": {"Retry-After": "7"}})
    resp = mpx.get("/rest/lightbox/301/items")
    assert_error(resp, 429)
    assert resp.headers["Retry-After"] == "7"
    assert mpx.get("/rest/lightbox/301/items").status_code == 200


def test_faults_hit_before_the_credentials_are_checked(base):
    c = Client(base)
    c.op("POST", "/faults", json={"path_prefix": "/rest/session", "status": 503, "count": 1})
    assert_error(requests.get(base + "/rest/session", timeout=10), 503)


def test_reset_forgets_sessions_uploads_and_faults(mpx):
    seeded = mpx.op("GET", "/moderation")["media"]
    mpx.upload(section="private")
    assert len(mpx.op("GET", "/moderation")["media"]) == len(seeded) + 1
    mpx.op("POST", "/faults", json={"path_prefix": "/rest/search", "status": 500})
    mpx.op("POST", "/reset")
    assert mpx.op("GET", "/sessions") == {"sessions": [], "live": 0}
    assert mpx.op("GET", "/moderation")["media"] == seeded
    assert mpx.op("GET", "/faults")["faults"] == []
    assert_error(mpx.get("/rest/item/2240001"), 401)

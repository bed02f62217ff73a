"""Authentication: 002 lines 2-9 ("curl -u :YOUR_ACCESS_TOKEN -H "OrganizationId: 100""), line 3 (the
OrganizationId header "besides User specifics"), line 12491 (disabled tokens), 16591 (whoami)."""
import base64

from .conftest import ORG, TOKEN


def basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def assert_unauthorized(r):
    assert r.status_code == 401, r.text[:300]
    assert set(r.json()) == {"error", "message"}
    assert "no-store" in r.headers["Cache-Control"]
    assert "ETag" not in r.headers


def test_basic_with_an_empty_user_and_the_organization_header(mg):
    r = mg.get("/api/assets/search", q="anvil")  # 002 l.4-6: the documents' own example
    assert r.status_code == 200
    assert r.json()["assets"]


def test_wrong_missing_or_misplaced_token_is_refused(mg):
    for header in (None, basic("", "wrong"), basic("someone", TOKEN), f"Bearer {TOKEN}", "Basic !!!", TOKEN):
        assert_unauthorized(mg.get("/api/assets/search", headers={"Authorization": header}))


def test_organization_header_is_required_except_on_user_specifics(mg):
    # 002 l.3: "All endpoints using Personal Access Tokens (besides User specifics) require the OrganizationId header"
    assert_unauthorized(mg.get("/api/assets/search", headers={"OrganizationId": None}))
    assert_unauthorized(mg.get("/api/collections", headers={"OrganizationId": "101"}))
    # 002 l.16591: "Get your User details from your Personal Access Token"
    me = mg.get("/api/whoami", headers={"OrganizationId": None})
    assert me.status_code == 200
    assert {"id", "name", "user_id"} <= set(me.json())
    assert "email" not in me.json()


def test_a_disabled_token_says_so_in_its_headers(mg):
    # 002 l.12491: "Disabled tokens will fail authentication and the response will include X-PAT-Disabled: 1
    # and X-PAT-Disabled-Note headers indicating the reason."
    mg.op("POST", "/pat/disable", json={"note": "Leaked in a public repository"})
    for path in ("/api/assets/search", "/api/whoami"):
        r = mg.get(path)
        assert_unauthorized(r)
        assert r.headers["X-PAT-Disabled"] == "1"
        assert r.headers["X-PAT-Disabled-Note"] == "Leaked in a public repository"
    assert "X-PAT-Disabled" not in mg.get("/api/whoami", headers={"Authorization": basic("", "x")}).headers
    mg.op("POST", "/pat/enable")
    assert mg.get("/api/assets/search").status_code == 200


def test_request_log_redacts_the_token_and_keeps_the_organization(mg):
    mg.get("/api/collections", q="acme")
    entry = mg.op("GET", "/requests", params={"path_prefix": "/api/collections"})["requests"][-1]
    assert entry["headers"]["Authorization"] == "[redacted]"
    assert entry["headers"]["OrganizationId"] == ORG
    assert TOKEN not in str(mg.op("GET", "/requests"))


def test_unknown_paths_and_methods_answer_json(mg):
    r = mg.get("/api/nothing-here")
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    r = mg.request("PATCH", "/api/assets/search")
    assert r.status_code == 405 and r.json()["error"] == "method_not_allowed"

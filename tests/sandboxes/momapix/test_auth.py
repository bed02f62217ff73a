"""Authentication, sessions and content negotiation (doc: "Information exchange", "Authentication and
Authorization", "First connection to fetch Bearer Token", POST and DELETE /rest/session)."""
import requests

from .helpers import ACCEPT, API_KEY, MEDIA_TYPE, Client, assert_error, session_body


def test_first_connection_returns_a_session_as_in_the_document(anon):
    """doc, GET /rest/session: data.type session, TokenId = id, ExpiresIn, InteractiveTimeout, LoggedIn false."""
    body = Client(anon.base).open()
    data = body["data"]
    assert data["type"] == "session"
    attrs = data["attributes"]
    assert attrs["TokenId"] == data["id"] and len(data["id"]) == 26
    assert attrs["ExpiresIn"] == 3600  # the sandbox was started with --expires-in 3600
    assert attrs["LoggedIn"] is False and attrs["Name"] is None


def test_every_call_needs_the_apikey(anon):
    """doc: "The API KEY must be included in the header of each HTTP request"."""
    for key in (None, "wrong-key"):
        headers = {"Accept": ACCEPT, **({"Apikey": key} if key else {})}
        assert_error(requests.get(anon.base + "/rest/session", headers=headers, timeout=10), 401)
        resp = requests.get(anon.base + "/rest/item/2240001", timeout=10,
                            headers={**headers, "Authorization": f"Bearer {anon.token}"})
        assert_error(resp, 401)


def test_calls_other_than_opening_a_session_need_the_bearer(anon):
    """doc: "The Bearer Token must be provided in the HTTP request header for each subsequent connection"."""
    assert_error(anon.request("GET", "/rest/item/2240001", bearer=False), 401)
    assert_error(anon.request("GET", "/rest/item/2240001", headers={"Authorization": "Basic abc"}), 401)
    assert_error(anon.request("GET", "/rest/item/2240001", headers={"Authorization": "Bearer nosuchtoken"}), 401)
    assert anon.get("/rest/item/2240001").status_code == 200


def test_a_new_session_invalidates_the_current_token(anon):
    """doc: "If you connect to /rest/session endpoint without providing the bearer token, a new one will be
    allocated and the current authorization will not be valid anymore"."""
    first = anon.token
    other = Client(anon.base)
    other.open()
    assert other.token != first
    assert_error(anon.get("/rest/item/2240001"), 401)
    assert other.get("/rest/item/2240001").status_code == 200
    sessions = anon.op("GET", "/sessions")
    assert sessions["live"] == 1
    assert [s["end_reason"] for s in sessions["sessions"] if s["token"] == first] == ["superseded"]


def test_a_bearered_get_keeps_the_session_alive_until_it_expires(anon):
    """doc: ExpiresIn is the lifetime in seconds; GET /rest/session with the bearer keeps the session alive."""
    anon.advance(3000)
    body = anon.ok("/rest/session")
    assert body["data"]["id"] == anon.token and body["data"]["attributes"]["ExpiresIn"] == 3600
    anon.advance(3000)
    assert anon.get("/rest/item/2240001").status_code == 200  # renewed 3000 s ago, 600 s left
    anon.advance(601)
    assert_error(anon.get("/rest/item/2240001"), 401)
    assert_error(anon.get("/rest/session"), 401)  # an expired bearer cannot be renewed: open a new session


def test_login_with_username_and_password(anon):
    """doc, POST /rest/session: LoggedIn true and the user's Name; the token stays the same."""
    body = anon.login()
    assert body["data"]["id"] == anon.token
    assert body["data"]["attributes"]["LoggedIn"] is True
    assert body["data"]["attributes"]["Name"] == "Client One"
    assert anon.ok("/rest/session")["data"]["attributes"]["LoggedIn"] is True


def test_login_refusals(anon):
    """Wrong credentials 401; the body's id must be the bearer token (409); the body is JSON:API (415)."""
    assert_error(anon.request("POST", "/rest/session", json=session_body(anon.token, password="nope")), 401)
    assert_error(anon.request("POST", "/rest/session", json=session_body("another-token")), 409)
    assert_error(anon.request("POST", "/rest/session", json={"data": {"id": anon.token, "type": "session"}}), 400)
    resp = anon.request("POST", "/rest/session", data='{"data": {}}', headers={"Content-Type": "application/json"})
    assert_error(resp, 415)
    wrong_type = session_body(anon.token)
    wrong_type["data"]["type"] = "user"
    assert_error(anon.request("POST", "/rest/session", json=wrong_type), 409)


def test_lightboxes_need_a_logged_in_session(anon):
    """doc: "It is possible to obtain specific authorization for specific RESTful services by providing a
    login and password"; lightboxes belong to "the logged-in user"."""
    assert_error(anon.get("/rest/lightboxes"), 401)
    anon.login()
    assert anon.ok("/rest/lightboxes")["meta"]["total"] > 0


def test_logout_ends_the_session_and_an_unknown_token_is_forbidden(mpx):
    """doc, DELETE /rest/session: 200 with LoggedIn false, "or a 403 Forbidden if you provide an incorrect token"."""
    resp = mpx.request("DELETE", "/rest/session")
    assert resp.status_code == 200
    assert resp.json()["data"]["attributes"]["LoggedIn"] is False
    assert_error(mpx.get("/rest/item/2240001"), 401)
    assert_error(mpx.request("DELETE", "/rest/session"), 403)


def test_accept_must_name_json_api_version_2(anon):
    """doc: Accept "must be set to application/vnd.api+json; version=2.0"; otherwise 406 (JSON:API)."""
    for accept in (None, "application/json", "*/*", MEDIA_TYPE, "application/vnd.api+json; version=1.0",
                   "application/vnd.api+json; version:2.0"):
        headers = {"Authorization": f"Bearer {anon.token}", "Apikey": API_KEY}
        if accept:
            headers["Accept"] = accept
        resp = requests.get(anon.base + "/rest/item/2240001", headers=headers, timeout=10)
        assert_error(resp, 406)
    resp = anon.request("GET", "/rest/item/2240001", headers={"Accept": "text/html, application/vnd.api+json;version=2.0"})
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == MEDIA_TYPE


def test_operator_can_expire_or_supersede_sessions(anon):
    """MomaPIX sandbox: /_sandbox/sessions/expire and /supersede end live sessions, for tests of recovery."""
    anon.op("POST", "/sessions/expire")
    assert_error(anon.get("/rest/item/2240001"), 401)
    anon.open()
    anon.op("POST", "/sessions/supersede", json={"token": anon.token})
    assert_error(anon.get("/rest/item/2240001"), 401)
    reasons = [s["end_reason"] for s in anon.op("GET", "/sessions")["sessions"]]
    assert reasons == ["expired", "superseded"]


def test_options_answers_without_credentials(base):
    """doc, "Getting details about capabilities": OPTIONS answers 200 with Allow, Access-Control-Allow-Headers
    and, per method, a link to a JSON schema and a description."""
    resp = requests.options(base + "/rest/lightbox/301/relationships/items", timeout=10)
    assert resp.status_code == 200
    assert set(resp.headers["Allow"].split(", ")) == {"GET", "POST", "PATCH", "DELETE", "OPTIONS"}
    assert "Apikey" in resp.headers["Access-Control-Allow-Headers"]
    methods = resp.json()["meta"]["methods"]
    assert set(methods) == {"GET", "POST", "PATCH", "DELETE"}
    schema = requests.get(methods["POST"]["schema"], timeout=10)
    assert schema.status_code == 200 and schema.json()["type"] == "object"
    search = requests.options(base + "/rest/search/items", timeout=10).json()["meta"]
    assert "@caption" in search["mql"]["fields"] and "subject_date" in search["mql"]["attributes"]
    assert search["page"]["sizes"] == [10, 16, 20, 25, 32, 50, 64, 96, 100, 200, 250]
    assert requests.options(base + "/rest/nothing-here", timeout=10).status_code == 404

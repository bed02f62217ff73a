"""OAuth2 (doc: "Connecting to ... REST API V2", "Important keys", "Getting the access_token", "Getting
the access_token using grant type password", "Resetting the access_token"; brief §4.1, §4.9)."""
from urllib.parse import parse_qs, urlsplit


def test_password_grant_answers_the_documented_shape(dam):
    body = dam.grant().json()
    assert set(body) == {"access_token", "expires_in", "token_type", "refresh_token"}
    assert body["expires_in"] == 3600 and body["token_type"] == "bearer"  # "Lifetime of 1 hour"


def test_every_api_call_needs_a_live_bearer(dam):
    missing = dam.session.get(dam.base + "/folders", timeout=10)
    assert missing.status_code == 401 and missing.json()["error"] == "invalid_token"
    assert missing.headers["WWW-Authenticate"].startswith("Bearer ")
    assert dam.request("GET", "/folders", token="not-a-token").status_code == 401
    assert dam.session.get(dam.base + "/folders", params={"access_token": dam.token}, timeout=10).status_code == 401
    assert dam.get("/folders").status_code == 200


def test_access_tokens_expire_after_an_hour_of_sandbox_clock(dam):
    assert dam.get("/folders").status_code == 200
    dam.advance(3599)
    assert dam.get("/folders").status_code == 200
    dam.advance(2)
    expired = dam.get("/folders")
    assert expired.status_code == 401 and "expired" in expired.json()["error_description"]


def test_refresh_grant_renews_and_rotates_the_refresh_token(dam):
    first = dam.grant().json()
    dam.advance(4000)
    renewed = dam.grant(grant_type="refresh_token", refresh_token=first["refresh_token"], username=None,
                        password=None)
    assert renewed.status_code == 200
    assert dam.request("GET", "/folders", token=renewed.json()["access_token"]).status_code == 200
    again = dam.grant(grant_type="refresh_token", refresh_token=first["refresh_token"], username=None, password=None)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"  # choice: single use


def test_token_endpoint_refuses_bad_clients_users_grants_and_bodies(dam):
    assert dam.grant(client_secret="wrong").json()["error"] == "invalid_client"
    assert dam.grant(client_secret="wrong").status_code == 401
    bad_user = dam.grant(password="wrong")
    assert bad_user.status_code == 401 and bad_user.json()["error"] == "invalid_grant"
    assert dam.grant(grant_type="client_credentials").json()["error"] == "unsupported_grant_type"
    assert dam.grant(password=None).status_code == 400
    as_json = dam.session.post(dam.base + "/oauth2/token", json={"grant_type": "password"}, timeout=10)
    assert as_json.status_code == 400 and as_json.json()["error"] == "invalid_request"


def test_authorization_code_flow_with_a_30_second_code(dam):
    cred = dam.catalogue["credentials"]
    redirect = "https://shop.example/callback"
    resp = dam.session.get(dam.base + "/oauth2/authorize", allow_redirects=False, timeout=10, params={
        "response_type": "code", "client_id": cred["ACQUIA_DAM_CLIENT_ID"], "redirect_uri": redirect, "state": "xyz"})
    assert resp.status_code == 302
    location = urlsplit(resp.headers["Location"])
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == redirect and query["state"] == ["xyz"]

    def exchange(code, uri=redirect):
        return dam.grant(grant_type="authorization_code", code=code, redirect_uri=uri, username=None, password=None)

    assert exchange(query["code"][0], "https://evil.example/").json()["error"] == "redirect_uri_mismatch"
    fresh = dam.session.get(resp.request.url, allow_redirects=False, timeout=10).headers["Location"]
    code = parse_qs(urlsplit(fresh).query)["code"][0]
    assert exchange(code).status_code == 200
    assert exchange(code).json()["error"] == "invalid_grant"  # single use
    late = parse_qs(urlsplit(dam.session.get(resp.request.url, allow_redirects=False, timeout=10)
                             .headers["Location"]).query)["code"][0]
    dam.advance(31)  # "ACCESS_CODE ... Lifetime of 30 seconds"
    assert exchange(late).json()["error"] == "invalid_grant"


def test_operator_can_expire_tokens_and_count_grants(dam):
    first = dam.grant().json()
    assert dam.op("GET", "/tokens").json()["grants"]["password"] == 1
    summary = dam.op("POST", "/tokens/expire").json()
    assert summary["live_access_tokens"] == 0
    assert dam.request("GET", "/folders", token=first["access_token"]).status_code == 401
    refreshed = dam.grant(grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert refreshed.status_code == 200
    dam.op("POST", "/tokens/expire", json={"refresh": True})
    assert dam.grant(grant_type="refresh_token", refresh_token=refreshed.json()["refresh_token"]).status_code == 400
    assert dam.op("GET", "/tokens").json()["grants"] == {"password": 1, "refresh_token": 1, "authorization_code": 0}


def test_request_log_redacts_every_secret(dam):
    cred = dam.catalogue["credentials"]
    token = dam.grant().json()
    dam.request("GET", "/folders", token=token["access_token"])
    dam.session.get(dam.base + "/folders", params={"access_token": token["access_token"]}, timeout=10)
    log = dam.op("GET", "/requests").text
    for secret in (cred["ACQUIA_DAM_CLIENT_SECRET"], cred["ACQUIA_DAM_PASSWORD"], token["access_token"],
                   token["refresh_token"]):
        assert secret not in log
    assert '"Authorization":"[redacted]"' in log.replace(" ", "")


def test_credentials_are_options_and_listed_in_the_catalogue():
    from .conftest import Dam, running

    with running("--client-secret", "s3cret-client", "--password", "s3cret-pass", "--max-age", "2") as url:
        dam = Dam(url)
        cred = dam.catalogue["credentials"]
        assert cred["ACQUIA_DAM_CLIENT_SECRET"] == "s3cret-client" and cred["ACQUIA_DAM_PASSWORD"] == "s3cret-pass"
        assert cred["ACQUIA_DAM_EXPIRE_AFTER"] == "2" and cred["ACQUIA_DAM_UPGRADE_HTTP"] == "0"
        assert dam.grant().status_code == 200
        assert dam.grant(password="sandbox-password").status_code == 401

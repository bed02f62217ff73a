"""OAuth2 as the document gives it: POST /oauth2/token with the password, authorization_code and
refresh_token grants, GET /oauth2/authorize (auto-approved), and the bearer check on every API call."""
import secrets
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, current_app, g, jsonify, redirect, request

from .errors import ApiError

bp = Blueprint("oauth2", __name__)
CODE_LIFETIME = 30  # "ACCESS_CODE ... Lifetime of 30 seconds"
# Paths a browser or S3 client reaches without a bearer: OAuth2 itself, thumbnails, presigned URLs.
PUBLIC = ("/oauth2/", "/s/", "/image_dir/", "/_s3/", "/_dl/")


def sandbox():
    return current_app.extensions["sandbox"]


def gate():
    """Every API path but the public ones needs `Authorization: Bearer <live access token>`."""
    if request.url_rule is None or request.path.startswith(PUBLIC):
        return None
    sb = sandbox()
    g.state = sb.state
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise _invalid_token("The access token was not provided")
    expires = g.state.access_tokens.get(token)
    if expires is None:
        raise _invalid_token("The access token provided is invalid")
    if sb.clock.now() >= expires:
        raise _invalid_token("The access token provided has expired")
    return None


def _invalid_token(description: str) -> ApiError:
    return ApiError(401, description, "invalid_token",
                    {"WWW-Authenticate": f'Bearer realm="Service", error="invalid_token", '
                                         f'error_description="{description}"'})


def _oauth_error(status: int, error: str, description: str) -> ApiError:
    return ApiError(status, description, error)


@bp.get("/oauth2/authorize")
def authorize():
    """Auto-approves (the sandbox has no login page) and redirects with a 30-second code."""
    cfg, st = sandbox().state.config, sandbox().state
    if request.args.get("response_type") != "code":
        raise _oauth_error(400, "unsupported_response_type", 'response_type must be "code"')
    if request.args.get("client_id") != cfg.client_id:
        raise _oauth_error(400, "invalid_client", "The client id supplied is invalid")
    redirect_uri = request.args.get("redirect_uri", "")
    if urlsplit(redirect_uri).scheme not in ("http", "https"):
        raise _oauth_error(400, "invalid_uri", "The redirect URI must be an absolute http(s) URL")
    code = secrets.token_hex(20)
    with sandbox().lock:
        st.codes[code] = {"expires": sandbox().clock.now() + CODE_LIFETIME, "redirect_uri": redirect_uri}
    query = {"code": code}
    if "state" in request.args:
        query["state"] = request.args["state"]
    return redirect(redirect_uri + ("&" if "?" in redirect_uri else "?") + urlencode(query), 302)


@bp.post("/oauth2/token")
def token():
    sb = sandbox()
    st, cfg, now = sb.state, sb.state.config, sb.clock.now()
    if request.mimetype != "application/x-www-form-urlencoded":
        raise _oauth_error(400, "invalid_request",
                           "The request body must be application/x-www-form-urlencoded (as curl -d sends it)")
    form = request.form
    grant = form.get("grant_type")
    if not grant:
        raise _oauth_error(400, "invalid_request", "The grant type was not specified in the request")
    if grant not in st.grants:
        raise _oauth_error(400, "unsupported_grant_type", f'Grant type "{grant}" not supported')
    if form.get("client_id") != cfg.client_id or form.get("client_secret") != cfg.client_secret:
        raise _oauth_error(401, "invalid_client", "The client credentials are invalid")
    with sb.lock:
        if grant == "password":
            if not form.get("username") or not form.get("password"):
                raise _oauth_error(400, "invalid_request", "Missing parameters: \"username\" and \"password\" required")
            if form["username"] != cfg.username or form["password"] != cfg.password:
                raise _oauth_error(401, "invalid_grant", "Invalid username and password combination")
        elif grant == "authorization_code":
            code = st.codes.pop(form.get("code", ""), None)
            if code is None or now >= code["expires"]:
                raise _oauth_error(400, "invalid_grant", "The authorization code has expired or is invalid")
            if form.get("redirect_uri") != code["redirect_uri"]:
                raise _oauth_error(400, "redirect_uri_mismatch", "The redirect URI does not match the authorization")
        else:
            refresh = form.get("refresh_token", "")
            expiry = st.refresh_tokens.pop(refresh, None)  # single use: a refresh rotates the refresh token
            if expiry is None or now >= expiry:
                raise _oauth_error(400, "invalid_grant", "Invalid refresh token")
        st.grants[grant] += 1
        access, refresh = secrets.token_hex(20), secrets.token_hex(20)
        st.access_tokens[access] = now + cfg.token_lifetime
        st.refresh_tokens[refresh] = now + cfg.refresh_lifetime
    return jsonify({"access_token": access, "expires_in": cfg.token_lifetime, "token_type": "bearer",
                    "refresh_token": refresh})

"""An offline sandbox of the MomaPIX REST Service 2.0 (JSON:API), strict as the document (see docs/sandbox.md)."""
import secrets

from flask import Flask, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..common import app as common
from ..common.operator import PREFIX as OPERATOR_PREFIX
from ..common.state import Sandbox
from . import api, jsonapi, operator
from .catalogue import PASSWORD, seed
from .images import DEFAULT_BOXES, Renditions

API_KEY = "momapix-sandbox-apikey"
MAX_UPLOAD = 50 * 1024 * 1024


def create_app(api_key: str = API_KEY, password: str = PASSWORD, expires_in: int = 604800,
               thumb_box: int = DEFAULT_BOXES["thumb_m"], preview_box: int = DEFAULT_BOXES["thumb_l"],
               url_ttl: int = 0, upload_section: str = "public", cache_seconds: int = 0) -> Flask:
    app = Flask(__name__)
    app.json.sort_keys = False
    app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD
    boxes = {"thumb_m": thumb_box, "thumb_l": preview_box}

    def fresh_state():
        st = seed(password)
        st.renditions = Renditions(boxes)
        return st

    sb = Sandbox(fresh_state)
    sb.api_key, sb.password, sb.expires_in = api_key, password, expires_in
    sb.url_ttl, sb.url_secret, sb.upload_section = url_ttl, secrets.token_bytes(16), upload_section
    sb.cache_seconds = cache_seconds
    app.register_blueprint(api.bp)
    app.register_blueprint(operator.bp)
    common.install(app, sb, error_response=jsonapi.error_response, gate=api.gate,
                   logged_headers=("Apikey", "Authorization", "Accept", "Content-Type"),
                   secret_headers=("Apikey", "Authorization"))

    @app.errorhandler(jsonapi.ApiError)
    def api_error(e):
        return jsonapi.error_response(e.status, e.detail, e.parameter, e.pointer)

    @app.errorhandler(HTTPException)
    def http_error(e):
        if request.path.startswith(OPERATOR_PREFIX):
            return operator.problem(e.code, e.description)
        if isinstance(e, RequestEntityTooLarge):
            return jsonapi.error_response(413, f"The body is larger than {MAX_UPLOAD} bytes.")
        response = jsonapi.error_response(e.code, "No such resource." if e.code == 404 else e.description)
        if e.code == 405:
            response.headers["Allow"] = ", ".join(e.valid_methods or [])
        return response

    @app.errorhandler(Exception)
    def unexpected(e):
        app.logger.exception("sandbox error")
        return jsonapi.error_response(500, "Internal sandbox error.")

    return app

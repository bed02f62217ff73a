"""An offline Mediagraph API sandbox, built from Mediagraph's API documentation and the paths of its
public client (see docs/sandbox.md, "Mediagraph sandbox")."""
from dataclasses import dataclass

from flask import Flask, request
from werkzeug.exceptions import HTTPException

from ..common import app as common
from ..common.operator import PREFIX as OPERATOR_PREFIX
from ..common.state import Sandbox
from . import api, errors, operator
from .catalogue import seed

SECRET_PARAMS = ("X-Amz-Signature", "X-Amz-Credential", "sig", "token", "code", "refresh_token", "client_secret")


@dataclass(frozen=True)
class Options:
    token: str = "mg-sandbox-pat"
    organization_id: int = 100
    url_ttl: int = 3600  # preview URLs expire (0: never)
    processing_seconds: float = 5.0  # sandbox clock from set_uploaded to processed
    deliver: bool = False  # POST webhook deliveries for real
    max_age: int | None = None  # the freshness the catalogue tells the service to use (MEDIAGRAPH_CACHE_SECONDS)


def create_app(options: Options = Options()) -> Flask:
    app = Flask(__name__)
    app.json.sort_keys = False  # keep the documents' field order
    sb = Sandbox(lambda: seed(options))
    sb.options = options
    app.register_blueprint(api.bp)
    app.register_blueprint(operator.bp)
    common.install(app, sb, error_response=_fault_response, gate=api.gate, finish=_cache_headers,
                   secret_params=SECRET_PARAMS, logged_headers=("Authorization", "OrganizationId", "Content-Type"),
                   secret_headers=("Authorization",))

    @app.errorhandler(errors.ApiError)
    def api_error(e):
        return errors.error_response(e.status, e.error, e.message, e.headers)

    @app.errorhandler(HTTPException)
    def http_error(e):
        if request.path.startswith(OPERATOR_PREFIX):
            return operator.problem(e.code, e.description)
        if e.code == 404:
            return errors.error_response(404, "not_found", "The requested resource was not found.")
        if e.code == 405:
            return errors.error_response(405, "method_not_allowed", f"{request.method} is not allowed here")
        return errors.error_response(e.code, "error", e.description)

    @app.errorhandler(Exception)
    def unexpected(e):
        app.logger.exception("sandbox error")
        return errors.error_response(500, "internal_server_error", "Internal sandbox error.")

    return app


def _cache_headers(response):
    """Rails' defaults (the documents say nothing): a 200 JSON answer is `max-age=0, private,
    must-revalidate` with a weak ETag honouring If-None-Match; errors are never stored."""
    if response.status_code == 200 and response.mimetype == "application/json" and not response.is_streamed:
        response.headers["Cache-Control"] = "max-age=0, private, must-revalidate"
        response.add_etag(weak=True)
        response.make_conditional(request)
    else:
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _fault_response(status: int, message: str):
    return errors.error_response(status, "sandbox_fault", message)

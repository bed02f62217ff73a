"""JSON errors with a stable code: never a stack trace, never an HTML page."""
import logging

from flask import jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error answered to our own clients as {"error": {"code", "message", "field"}}.

    `errors`, when given, lists every fault of a form at once, each {"field", "code", "message"}.
    """

    def __init__(self, status, code, message, field=None, headers=None, errors=None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field
        self.headers = headers or {}
        self.errors = errors


def error_response(status, code, message, field=None, headers=None, errors=None):
    body = {"error": {"code": code, "message": message}}
    if field:
        body["error"]["field"] = field
    if errors:
        body["error"]["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    response.headers.update(headers or {})
    return response


def register_error_handlers(app):
    @app.errorhandler(ApiError)
    def api_error(exc):
        return error_response(exc.status, exc.code, exc.message, exc.field, exc.headers, exc.errors)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        code = (exc.name or "error").lower().replace(" ", "_")
        headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}  # keeps Allow
        return error_response(exc.code, code, exc.description or exc.name, headers=headers)

    @app.errorhandler(Exception)
    def unexpected(exc):
        log.exception("unhandled error")
        return error_response(500, "internal_error", "The service failed to answer this request.")

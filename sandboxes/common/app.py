"""The hooks every sandbox app runs: faults before the API answers, its own headers after, then the
request log (secrets redacted). Operator requests skip all of it and are never cached."""
from flask import Flask, current_app, g, request

from . import faults
from .operator import PREFIX, sandbox

REDACTED = "[redacted]"


def install(app: Flask, sb, *, error_response, gate=None, finish=None,
            secret_params=(), logged_headers=(), secret_headers=()) -> None:
    """Bind `sb` (a state.Sandbox) to `app`.

    error_response(status, message) -> Response: the upstream's own error shape, for injected faults.
    gate() -> Response | None: the API's own auth or negotiation check, after faults.
    finish(response) -> Response: the API's own headers (caching, CORS) on every API answer.
    secret_params / secret_headers: logged as "[redacted]"; logged_headers: which headers to log at all.
    """
    app.extensions["sandbox"] = sb
    secret_params, secret_headers = set(secret_params), {h.lower() for h in secret_headers}

    @app.before_request
    def before():
        if request.path.startswith(PREFIX):
            return None
        return faults.apply(error_response) or (gate() if gate else None)

    @app.after_request
    def after(response):
        if request.path.startswith(PREFIX):
            response.headers["Cache-Control"] = "no-store"
            return response
        if finish:
            response = finish(response)
        if request.url_rule is not None:
            _log(response, secret_params, logged_headers, secret_headers)
        return faults.finish(response)


def _log(response, secret_params, logged_headers, secret_headers) -> None:
    sb = sandbox()
    query = {k: REDACTED if k in secret_params else v for k, v in request.args.items()}
    entry = {"method": request.method, "path": request.path, "query": query,
             "status": None if g.get("fault_dropped") else response.status_code, "time": sb.clock.iso()}
    if logged_headers:
        entry["headers"] = {name: REDACTED if name.lower() in secret_headers else request.headers[name]
                            for name in logged_headers if name in request.headers}
    with sb.lock:
        sb.requests.append(entry)


def media_origin() -> str:
    """The origin of the media files' URLs: `--media-url` (where browsers reach the sandbox, e.g. from
    another device in a LAN demo), else the host the request came to."""
    return current_app.config.get("SANDBOX_MEDIA_URL") or request.host_url.rstrip("/")


def handle_errors(app: Flask, error_response) -> None:
    """Routing errors (404, 405...) and crashes answered in the upstream's own error shape
    (`error_response(status, message)`); under /_sandbox/ as {"error"}."""
    from werkzeug.exceptions import HTTPException

    from .operator import problem

    @app.errorhandler(HTTPException)
    def http_error(e):
        if request.path.startswith(PREFIX):
            return problem(e.code, e.description)
        return error_response(e.code, "The requested resource was not found." if e.code == 404 else e.description)

    @app.errorhandler(Exception)
    def unexpected(e):
        app.logger.exception("sandbox error")
        return error_response(500, "Internal sandbox error.")

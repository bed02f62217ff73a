"""An offline, Olapic Widget API v2.2 compatible sandbox that answers as the real API does (see docs/sandbox.md)."""
from flask import Flask, jsonify, request

from ..common import app as common
from ..common.state import Sandbox, copies
from . import api, errors, operator
from .catalogue import seed


def create_app(api_key: str = "sandbox", max_age: int = 600, shapes: str = "real",
               shard_links: bool = False) -> Flask:
    """`shapes`: "real" (the real API's answers, the default) or "reference" (the reference's literal
    ones); `shard_links`: API hrefs on Olapic's shard hosts, which resolve nowhere, as the real API's do."""
    app = Flask(__name__)
    app.json.sort_keys = False  # keep the reference's field order
    app.config.update(SANDBOX_REAL_SHAPES=shapes == "real", SANDBOX_SHARD_LINKS=shard_links)
    app.url_map.strict_slashes = not app.config["SANDBOX_REAL_SHAPES"]  # the real API takes "/media/1/"
    sb = Sandbox(copies(lambda: seed(api_key)))
    sb.api_key = api_key
    app.register_blueprint(api.bp)
    app.register_blueprint(operator.bp)

    def finish(response):
        _cache_headers(response, max_age)
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Headers"] = "*"
        response.headers["Access-Control-Expose-Headers"] = "ETag, Cache-Control"
        return response

    common.install(app, sb, error_response=_fault_response, gate=api.gate, finish=finish,
                   secret_params=("auth_token",))

    @app.errorhandler(errors.ApiError)
    def api_error(e):
        return errors.error_response(e.status, e.message)

    common.handle_errors(app, errors.error_response)
    return app


def _cache_headers(response, max_age: int) -> None:
    """Every 200 is cacheable with a strong ETag and answers If-None-Match; errors are not cached."""
    if response.status_code != 200 or response.is_streamed:
        response.headers.setdefault("Cache-Control", "no-store")
        return
    response.headers["Cache-Control"] = f"max-age={max_age}"
    response.add_etag()
    response.make_conditional(request)


def _fault_response(status: int, message: str):
    response = jsonify(errors.envelope(status, {"message": message}))
    response.status_code = status
    return response

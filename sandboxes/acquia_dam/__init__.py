"""An offline sandbox of Acquia DAM Classic, formerly Webdam: its REST API v2 (apiv2.webdamdb.com), not the
newer Widen-based Acquia DAM API (see docs/sandbox.md)."""
from flask import Flask

from ..common import app as common
from ..common.state import Sandbox
from . import api, auth, errors, operator, shapes, uploads
from .catalogue import seed
from .store import Config

SECRET_PARAMS = ("access_token", "refresh_token", "client_secret", "password", "code", "Signature")


def create_app(config: Config = Config()) -> Flask:
    app = Flask(__name__)
    app.json.sort_keys = False  # keep the document's field order
    app.json.ensure_ascii = False
    sb = Sandbox(lambda: seed(config))
    app.register_blueprint(auth.bp)
    app.register_blueprint(api.bp)
    uploads.register(app, config.upload_prefix)
    app.register_blueprint(operator.bp)
    # No Cache-Control, ETag or rate-limit headers: the document gives none (docs/sandbox.md).
    common.install(app, sb, error_response=errors.error_response, gate=auth.gate, secret_params=SECRET_PARAMS,
                   logged_headers=("Authorization", "Content-Type"), secret_headers=("Authorization",))

    if config.document_json:
        app.after_request(shapes.document_json)

    @app.errorhandler(errors.ApiError)
    def api_error(e):
        return errors.error_response(e.status, e.description, e.error, e.headers)

    common.handle_errors(app, errors.error_response)
    return app

"""The gallery service: user-generated photos and videos for product pages."""
from flask import Flask

from . import embedded, errors, extensions, health, settings


def create_app(overrides=None):
    """Application factory. `overrides` replaces settings read from the environment (tests use it)."""
    app = Flask(__name__, static_folder="../static", static_url_path="/static")
    app.config.update(settings.from_env())
    app.config.update(overrides or {})
    embedded.start_defaults(app.instance_path, app.config)

    extensions.init_redis(app)
    errors.register_error_handlers(app)
    app.register_blueprint(health.bp)
    return app

"""The gallery service: user-generated photos and videos for product pages."""
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import cli, embedded, errors, extensions, health, metrics, openapi, proxy, requestlog, settings, uploads
from .api.views import bp as api_bp


def create_app(overrides=None):
    """Application factory. `overrides` replaces settings read from the environment (tests use it)."""
    app = Flask(__name__, static_folder="../static", static_url_path="/static")
    app.config.update(settings.from_env())
    app.config.update(overrides or {})
    embedded.start_defaults(app.instance_path, app.config)

    extensions.init_redis(app)
    extensions.init_source(app)
    errors.register_error_handlers(app)
    app.register_blueprint(health.bp)
    requestlog.init_app(app)
    from widgets import bp as widgets_bp  # the carousel (and the sandbox demo at /); it imports gallery itself

    for blueprint in (api_bp, openapi.bp, proxy.bp, metrics.bp, widgets_bp):
        app.register_blueprint(blueprint)
    uploads.init_app(app)  # shopper uploads and media reports, also under /api/v1
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.cli.add_command(cli.gallery)
    return app

"""The gallery service: user-generated photos and videos for product pages."""
from flask import Flask
from flask.sessions import SessionInterface


def create_app(overrides=None):
    """Application factory. `overrides` replaces settings read from the environment (tests use it).

    It starts nothing: with no REDIS_URL or in sandbox mode, `make run`, `python app.py` and the
    `flask --app app` commands start the embedded defaults first (gallery/embedded.py).
    This is the composition root: the one place that hands the configured sources to the web layer.
    """
    # Imported here, as in Flask's tutorial, so `import gallery` stays light for the upload worker.
    from urllib.parse import urlsplit

    from werkzeug.middleware.proxy_fix import ProxyFix

    from widgets import bp as widgets_bp  # the carousel (and the sandbox demo at /)

    from . import cli, errors, extensions, health, metrics, openapi, requestlog, settings, sources, uploads
    from .api.front import MemoFront
    from .api.views import bp as api_bp

    app = Flask(__name__, static_folder="../static", static_url_path="/static")
    # No redirects of our own: werkzeug answers them itself, in HTML, with a Location built from the
    # request's Host. "//media" is then a 404 like any unknown path, and "/olapic" is "/olapic/".
    app.url_map.merge_slashes = app.url_map.strict_slashes = False
    app.session_interface = NoSessions()
    app.config.update(settings.from_env())
    app.config.update(overrides or {})

    if app.config["SANDBOX_MODE"]:
        # The sandboxes by provider (`flask gallery approve`), and where browsers fetch the media files
        # they serve (the demo page's Content-Security-Policy): PUBLIC_URL's host as well, for a LAN demo.
        app.config["SANDBOX_URLS"] = {plugin.name: app.config[plugin.sandbox.url_setting]
                                      for plugin in sources.configured(app.config) if plugin.sandbox}
        app.config["SANDBOX_MEDIA_URLS"] = sorted({
            origin for url in app.config["SANDBOX_URLS"].values()
            for origin in (url, settings.sandbox_media_url(app.config, urlsplit(url).port or 80))})
    extensions.init_redis(app)
    from . import misses  # the web layer's per-client limit on cache misses, handed to the sources

    registry = app.extensions["registry"] = sources.build_registry(
        app.config, app.extensions["redis"], app.extensions["cache_redis"], admit_miss=misses.admit)
    errors.register_error_handlers(app)
    requestlog.init_app(app)
    metrics.init_app(app)  # Prometheus, bound to the domain's observations too
    for blueprint in (health.bp, api_bp, openapi.bp, widgets_bp):
        app.register_blueprint(blueprint)
    for source in registry:  # the sources' own routes (Olapic: the /olapic/ proxy)
        for blueprint in source.blueprints:
            app.register_blueprint(blueprint)
    uploads.init_app(app)  # shopper uploads and media reports, also under /api/v1
    app.wsgi_app = MemoFront(app, app.wsgi_app)  # fresh memoised answers, before Flask's dispatch
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        # X-Forwarded-Host is never believed: links come from PUBLIC_URL (gallery/links.py).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    app.cli.add_command(cli.gallery)
    app.after_request(_nosniff)
    return app


def _nosniff(response):
    # Every answer, errors and static files included: no browser may take one for another type.
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


class NoSessions(SessionInterface):
    """The service has no users and keeps no sessions: each request is spared setting up the signing
    of a session cookie (SECRET_KEY is set, for cursors) that it never reads."""

    def open_session(self, app, request):
        return None  # Flask then uses its null session

    def save_session(self, app, session, response):
        pass

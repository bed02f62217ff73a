"""Routes of the widgets blueprint."""
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, make_response, redirect, render_template, request, url_for

from gallery import links
from gallery.api.caching import cached_json
from gallery.api.cors import allow_origins
from gallery.api.failures import source_errors
from gallery.errors import ApiError
from gallery.extensions import get_registry

from .bundle import get_bundle

bp = Blueprint("widgets", __name__, template_folder="templates", static_folder="static",
               static_url_path="/widgets/static")

LOADER_MAX_AGE = 300  # how long a release takes to reach every page that embeds the loader
IMMUTABLE = "public, max-age=31536000, immutable"
# The demo page's "each source alone" carousels: every provider the registry has, by the name brands know it by.
LABELS = {"olapic": "Olapic", "mediagraph": "Mediagraph", "acquia_dam": "Acquia DAM", "momapix": "MomaPIX"}


@bp.get("/widgets/carousel.js")
def loader():
    """The URL retailers embed: a short-lived redirect to the current versioned script."""
    response = redirect(url_for(".asset", name="carousel", digest=get_bundle().digest), 302)
    response.headers["Cache-Control"] = f"public, max-age={LOADER_MAX_AGE}"
    return response


@bp.get("/widgets/<any(carousel, upload, report):name>.<digest>.js")
def asset(name, digest):
    """A versioned bundle: the carousel, or a module it imports on demand (the upload or report form)."""
    bundle = get_bundle(name)
    if digest != bundle.digest:  # a page or cache still holding the previous release's URL
        response = redirect(url_for(".asset", name=name, digest=bundle.digest), 302)
        response.headers["Cache-Control"] = f"public, max-age={LOADER_MAX_AGE}"
        response.headers["Access-Control-Allow-Origin"] = "*"  # a cross-origin import follows it only so
        return response
    gzipped = "gzip" in request.accept_encodings
    response = make_response(bundle.gzipped if gzipped else bundle.body)
    response.mimetype = "text/javascript"
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = IMMUTABLE
    # Lets retailers pin the carousel with Subresource Integrity, and their pages import the upload module.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.set_etag(bundle.digest)
    return response.make_conditional(request)


@bp.get("/widgets/instances/<instance_id>.json")
def instance_settings(instance_id):
    """The carousel settings of a widget instance (the provider's preset, e.g. an Olapic olapic_slidev3
    style), and nothing else. The default provider's, or that of `?provider=`."""
    registry = get_registry()
    name = request.args.get("provider")
    source = registry.get(name) if name in registry.names else registry.default
    if name is not None and name not in registry.names or source.presets is None:
        raise ApiError(404, "widget_not_found", "No carousel widget instance has this id.", field="instance")
    with source_errors("widget_not_found"):
        item = source.presets.preset(instance_id)
    return allow_origins(cached_json(item.value, item.freshness))


@bp.get("/")
def demo():
    """In sandbox mode, a product page for "Acme Anvil - 50lb": its carousel mixes every provider's media
    (shoppers' photos and the brand's assets), and a short section shows each provider alone."""
    if not current_app.config["SANDBOX_MODE"]:
        abort(404)
    # The sandboxes serve the media files themselves.
    images = " ".join(sorted({_origin(url) for url in current_app.config.get("SANDBOX_MEDIA_URLS", ())}))
    response = make_response(render_template(
        "widgets/demo.html",
        loader=links.absolute(url_for(".loader")),
        versioned=links.absolute(url_for(".asset", name="carousel", digest=get_bundle().digest)),
        providers=[(name, LABELS.get(name, name)) for name in get_registry().names],
    ))
    # The demo page keeps the policy a strict retailer would: no inline script or style anywhere.
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' {images}; "
        f"media-src {images}; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )
    return response


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"

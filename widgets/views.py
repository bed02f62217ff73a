"""Routes of the widgets blueprint."""
import re
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, make_response, redirect, render_template, request, url_for

from gallery import links
from gallery.api.caching import cached_json
from gallery.api.cors import allow_origins
from gallery.api.failures import upstream_error
from gallery.errors import ApiError
from gallery.extensions import get_olapic
from gallery.sources.base import SORTS, UpstreamError

from .bundle import get_bundle

bp = Blueprint("widgets", __name__, template_folder="templates", static_folder="static",
               static_url_path="/widgets/static")

LOADER_MAX_AGE = 300  # how long a release takes to reach every page that embeds the loader
IMMUTABLE = "public, max-age=31536000, immutable"
_INSTANCE_ID = re.compile(r"[A-Za-z0-9]{1,64}")


@bp.get("/widgets/carousel.js")
def loader():
    """The URL retailers embed: a short-lived redirect to the current versioned script."""
    response = redirect(url_for(".asset", name="carousel", digest=get_bundle().digest), 302)
    response.headers["Cache-Control"] = f"public, max-age={LOADER_MAX_AGE}"
    return response


@bp.get("/widgets/<any(carousel, upload):name>.<digest>.js")
def asset(name, digest):
    """A versioned bundle: the carousel, or the upload form module it imports on demand."""
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


def _flag(value):
    return str(value).strip().lower() in ("1", "true")


def _int(value, default=0):
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return default


@bp.get("/widgets/instances/<instance_id>.json")
def instance_settings(instance_id):
    """The carousel settings of an Olapic widget instance (its olapic_slidev3 style), and nothing else."""
    not_found = ApiError(404, "widget_not_found", "No carousel widget instance has this id.", field="instance")
    if not _INSTANCE_ID.fullmatch(instance_id):
        raise not_found
    try:
        upstream = get_olapic().get(f"/widgets/{instance_id}")
    except UpstreamError as exc:
        raise upstream_error(exc) from None
    if upstream.status in (400, 403, 404):
        raise not_found
    if upstream.status != 200:
        raise upstream_error(UpstreamError("unavailable", f"upstream answered {upstream.status}"))
    data = upstream.json.get("data") or {}
    style = (data.get("_embedded") or {}).get("setting") or {}
    if style.get("type") != "olapic_slidev3":
        raise not_found
    sort = (data.get("settings") or {}).get("sorting")
    settings = {
        "limit": min(_int(style.get("photos_limit"), 20), 100) or 20,
        "slide_by": _int(style.get("slide_by"), 1),
        "infinite": _flag(style.get("infinite")),
        "auto_play": _flag(style.get("auto_play")),
        "interval": _int(style.get("interval")),  # milliseconds; 0 leaves the widget's default
        "sort": sort if sort in SORTS else None,
    }
    return allow_origins(cached_json(settings, upstream.freshness))


@bp.get("/")
def demo():
    """In sandbox mode, a product page for "Acme Anvil - 50lb" with the carousel on it."""
    if not current_app.config["SANDBOX_MODE"]:
        abort(404)
    upstream = urlsplit(current_app.config["OLAPIC_API_URL"])
    images = f"{upstream.scheme}://{upstream.netloc}"  # the sandbox serves the media files itself
    response = make_response(render_template(
        "widgets/demo.html",
        loader=links.absolute(url_for(".loader")),
        versioned=links.absolute(url_for(".asset", name="carousel", digest=get_bundle().digest)),
    ))
    # The demo page keeps the policy a strict retailer would: no inline script or style anywhere.
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' {images}; "
        f"media-src {images}; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )
    return response

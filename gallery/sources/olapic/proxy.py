"""HAL passthrough: GET /olapic/<path> forwards the reference's read endpoints with the server's key,
so existing Olapic front-end code can point at us. Every href in the answer is rewritten to come back
through this proxy without the key. Anything outside the allow-list is 404 and never forwarded.

It goes through the same OlapicClient as the gallery, so it shares its cache and single flight. The
Olapic plug-in registers it (gallery/sources/olapic/__init__.py); the web layer knows nothing of it.

A medium's report form (its rewritten action, POST /olapic/media/<id>/reports) is never forwarded as
is: it goes through our own report flow, as POST /api/v1/media/<id>/reports does. The proxy's own
errors come in Olapic's envelope, so Olapic clients can read them, and honour wrap_responses=1.
"""
import json
import re
from http import HTTPStatus
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import Blueprint, jsonify, request
from werkzeug.routing import PathConverter

from ... import links
from ...api.caching import cached_json
from ...api.cors import allow_origins
from ...api.failures import upstream_error
from ...errors import ApiError
from ...media.models import UpstreamError
from ...uploads.abuse import check_origin
from ...uploads.views import receive_report, report_limits


class AnyPath(PathConverter):
    """Any path, even one with leading or doubled slashes: the allow-list, not the router, refuses it
    (in Olapic's envelope), since the app merges no slashes (gallery/__init__.py)."""

    regex = ".*?"
    part_isolating = False  # it spans "/"-separated parts


_ID = r"[0-9]+"  # not \d, which also matches "²" and other scripts' digits
_KEY = r"[A-Za-z0-9_-]+"  # widget instance and style ids are strings
_TAG = r"(?!\.+(?:/|$))[A-Za-z0-9_.~-]+"  # a product id in a path: unreserved characters, never "." or ".."
_HANDLE = r"(?!\.+(?:/|$))[A-Za-z0-9_.]+"  # an Instagram handle; never "." or ".."
_ALL = "(recent|shuffled|photorank|rated)"
_STREAM = "(recent|shuffled|photorank|rated|media_position)"

# The GET endpoints of the Olapic Widget API v2.2 reference, and nothing else, each with the query
# parameters it documents: only those are forwarded, and so make the cache key. Anything else a
# client adds (a cache buster, `?b=<random>`) is dropped, or each would cost an upstream call with
# the shop's key and a cache entry kept for a day.
_PAGING = {"count", "page_key", "page_number", "prev_id", "next_id"}  # next_id, prev_id: older answers' links
_FILTERS = {"rights_given", "include_tagged_galleries", "include_inactive_galleries",
            "filter_media_without_products", "disable_embedded_streams", "disable_embedded_categories"}
_GALLERIES = {"include_tagged_galleries", "include_inactive_galleries"}
_SEARCH = {"tag_key"}
ENDPOINTS = [
    ("", set()),  # the root endpoint: the key's customer
    (rf"customers/{_ID}", set()),
    (rf"customers/{_ID}/media/{_ALL}", _PAGING | _FILTERS),
    (rf"customers/{_ID}/streams", _PAGING),
    (rf"customers/{_ID}/streams/search", _SEARCH),
    (rf"customers/{_ID}/streams/bytag/{_TAG}", set()),  # the real API's product lookup (public clients' favourite)
    (rf"customers/{_ID}/categories", _PAGING),
    (rf"customers/{_ID}/categories/search", _SEARCH),
    (rf"customers/{_ID}/widgets", _PAGING),
    (rf"customers/{_ID}/widgets/settings", _PAGING),
    (rf"customers/{_ID}/instagram_users/{_HANDLE}", set()),
    (rf"customers/{_ID}/instagram_users/{_HANDLE}/media/recent", _PAGING),
    (rf"media/{_ID}", set()),
    (rf"media/{_ID}/streams", _PAGING | _GALLERIES),
    (rf"media/{_ID}/categories", _PAGING),
    (rf"streams/{_ID}", set()),
    (rf"streams/{_ID}/media/{_STREAM}", _PAGING | _FILTERS),
    (rf"streams/media/{_STREAM}", _PAGING | _FILTERS | _SEARCH),  # media by tag_key, without the stream id
    (rf"streams/bytag/{_TAG}", set()),
    (rf"streams/{_ID}/categories", _PAGING),
    (rf"categories/{_ID}", set()),
    (rf"categories/{_ID}/media/{_ALL}", _PAGING | _FILTERS),
    (rf"categories/{_ID}/streams", _PAGING),
    (rf"users/{_ID}", set()),
    (rf"users/{_ID}/media/recent", _PAGING),
    (rf"widgets/{_KEY}", set()),
    (rf"widgets/settings/{_KEY}", set()),
]
_ENDPOINTS = [(re.compile(pattern), params) for pattern, params in ENDPOINTS]
ALLOWED = re.compile("|".join(f"(?:{pattern})" for pattern, _ in ENDPOINTS))


def documented(path):
    """The query parameters the endpoint at `path` documents, or None when it is not an allowed one."""
    return next((params for pattern, params in _ENDPOINTS if pattern.fullmatch(path)), None)


# Ours to set upstream, never the client's nor the links': the key, the version, and the wrapping
# (our client always asks for wrapped answers; the proxy answers as the client asked).
_OURS = {"auth_token", "version", "wrap_responses"}


def _local(href):
    """//upstream/path?query (any host: Olapic links several) → //<PUBLIC_URL's host>/olapic/path?query
    (links.py), minus the key."""
    parts = urlsplit(href)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in _OURS])
    return links.protocol_relative(f"/olapic{parts.path}" + (f"?{query}" if query else ""))


def _rewrite(node):
    """Rewrite every href (they live in _links and _forms) to point back through the proxy."""
    if isinstance(node, dict):
        return {k: _local(v) if k == "href" and isinstance(v, str) else _rewrite(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_rewrite(v) for v in node]
    return node


VERSION = "v2.2"


def _envelope(status, data):
    return {"metadata": {"code": status, "message": HTTPStatus(status).phrase, "version": VERSION}, "data": data}


def olapic_errors(response):
    """Our own errors ({"error": {code, message, field}}) in Olapic's envelope: data.message as Olapic's,
    our stable code and field beside it; a 200 carrying the real code when wrap_responses=1."""
    if response.status_code < 400 or response.mimetype != "application/json":
        return response
    try:
        error = json.loads(response.get_data())["error"]
    except (ValueError, KeyError, TypeError):
        return response  # already Olapic's (an upstream error passed through)
    status = response.status_code
    response.set_data(json.dumps(_envelope(status, error)))
    if (request.values.get("wrap_responses") or "") == "1":
        response.status_code = 200
    return response


@report_limits
def report(media_id):
    """A medium's report form, as Olapic clients POST it (email, reason, send; auth_token, version and
    wrap_responses ignored): validated, rate limited, forwarded and hidden as /api/v1 reports are."""
    check_origin()
    receive_report(media_id)
    return jsonify(_envelope(201, {"media_id": media_id, "status": "received"})), 201, {"Cache-Control": "no-store"}


def blueprint(client):
    """The /olapic/ blueprint, forwarding through `client`."""
    bp = Blueprint("proxy", __name__, url_prefix="/olapic")
    bp.after_request(allow_origins)
    bp.after_request(olapic_errors)  # runs first
    bp.record_once(lambda state: state.app.url_map.converters.setdefault("any_path", AnyPath))
    bp.post("/media/<media_id>/reports")(report)

    @bp.get("/", defaults={"path": ""}, strict_slashes=False)  # "/olapic?…" too, without a redirect
    @bp.get("/<any_path:path>")
    def forward(path):
        return _forward(client, path)

    return bp


def _forward(client, path):
    path = path.rstrip("/")
    known = documented(path)
    if known is None:
        raise ApiError(404, "not_found", "This path is not an allowed Olapic read endpoint.")
    params = {k: v for k, v in request.args.items() if k in known}  # never _OURS: those are ours to set
    try:
        upstream = client.get("/" + path, params=params)
    except UpstreamError as exc:
        raise upstream_error(exc) from None
    body = _rewrite(upstream.json)
    if upstream.status == 200:
        return cached_json(body, upstream.freshness)
    # The upstream's own error, with its status unless the client asked for it wrapped in a 200.
    status = 200 if request.args.get("wrap_responses") == "1" else upstream.status
    return jsonify(body), status, {"Cache-Control": "no-store"}

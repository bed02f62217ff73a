"""JSON:API documents as MomaPIX writes them: content negotiation, error objects, paging, sparse fields."""
import json
from decimal import Decimal
from http import HTTPStatus
from urllib.parse import urlencode

from flask import Response, request

from ..common.app import media_origin

MEDIA_TYPE = "application/vnd.api+json"
VERSION = "2.0"
# "Not all values are accepted. This number will be always rounded to the next or the max value supported."
PAGE_SIZES = (10, 16, 20, 25, 32, 50, 64, 96, 100, 200, 250)
DEFAULT_PAGE_SIZE = 100
MAX_REQUESTED_SIZE = 999


class ApiError(Exception):
    def __init__(self, status: int, detail: str, parameter: str | None = None, pointer: str | None = None,
                 headers: dict | None = None):
        super().__init__(detail)
        self.status, self.detail, self.parameter, self.pointer = status, detail, parameter, pointer
        self.headers = headers or {}


def error_response(status: int, detail: str, parameter=None, pointer=None) -> Response:
    error = {"status": str(status), "title": HTTPStatus(status).phrase, "detail": detail}
    if parameter or pointer:
        error["source"] = {"parameter": parameter} if parameter else {"pointer": pointer}
    response = document({"errors": [error]}, status)
    response.headers["Cache-Control"] = "no-store"
    return response


ID_KEYS = ("id", "id_event", "id_item")


def _ids_as_numbers(o):
    """Ids go out as JSON numbers, as the document's samples show them (2241642, 2241780.3).

    A decimal of at most 15 digits survives float() and json's shortest repr unchanged."""
    if isinstance(o, dict):
        return {k: (_number(v) if k in ID_KEYS and isinstance(v, str) else _ids_as_numbers(v)) for k, v in o.items()}
    if isinstance(o, list):
        return [_ids_as_numbers(v) for v in o]
    return o


def _number(text: str):
    if text.isdigit():
        return int(text)
    if text.replace(".", "", 1).isdigit():
        return float(text)
    return text  # e.g. a session token or a download hash


def dumps(body) -> str:
    return json.dumps(_ids_as_numbers(body), ensure_ascii=False)


def document(body, status: int = 200, headers: dict | None = None) -> Response:
    response = Response(dumps(body), status, content_type=MEDIA_TYPE)
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


def no_content() -> Response:
    return Response(status=204)


# -- content negotiation ------------------------------------------------------------------------
def _media_ranges(header: str):
    for part in header.split(","):
        kind, *params = [p.strip() for p in part.split(";")]
        yield kind.lower(), [p.replace(" ", "") for p in params if p]


def check_accept() -> None:
    """Accept must name application/vnd.api+json with version=2.0 (406 otherwise)."""
    header = request.headers.get("Accept", "")
    for kind, params in _media_ranges(header):
        if kind == MEDIA_TYPE and params == [f"version={VERSION}"]:
            return
    raise ApiError(406, f'Send "Accept: {MEDIA_TYPE}; version={VERSION}".')


def check_content_type(expected: str = MEDIA_TYPE) -> None:
    kind = (request.mimetype or "").lower()
    if kind != expected:
        raise ApiError(415, f'Send the body as "Content-Type: {expected}".')
    if expected == MEDIA_TYPE and request.mimetype_params:
        raise ApiError(415, f'The "{MEDIA_TYPE}" media type takes no parameters in Content-Type.')


def body_data(kind: str, many: bool = False):
    """The `data` member of a JSON:API request body, checked for shape and type."""
    check_content_type()
    try:
        body = json.loads(request.get_data(as_text=True) or "null")
    except ValueError:
        raise ApiError(400, "The request body is not valid JSON.") from None
    data = body.get("data") if isinstance(body, dict) else None
    if many:
        if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
            raise ApiError(400, "The body must hold a data array of resource identifiers.", pointer="/data")
        entries = data
    else:
        if not isinstance(data, dict):
            raise ApiError(400, "The body must hold a data object.", pointer="/data")
        entries = [data]
    for n, d in enumerate(entries):
        if d.get("type") != kind:
            raise ApiError(409, f'The resource type must be "{kind}".',
                           pointer=f"/data/{n}/type" if many else "/data/type")
    return data


def patch_attributes(kind: str, entity_id: str) -> dict:
    """The attributes of a PATCH body for the `kind` resource `entity_id` (JSON:API: the id must match)."""
    data = body_data(kind)
    if not same_id(data.get("id"), entity_id):
        raise ApiError(409, f"data.id does not match the {kind} in the URL.", pointer="/data/id")
    attrs = data.get("attributes", {})
    if not isinstance(attrs, dict):
        raise ApiError(400, "attributes must be an object.", pointer="/data/attributes")
    return attrs


def same_id(a, b) -> bool:
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except ArithmeticError:
        return False


# -- query parameters ---------------------------------------------------------------------------
def positive_int(name: str, default: int, high: int | None = None) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1 or (high is not None and int(raw) > high):
        bound = f" between 1 and {high}" if high else ""
        raise ApiError(400, f"{name} must be a positive integer{bound}.", parameter=name)
    return int(raw)


def effective_size(requested: int) -> int:
    return next((s for s in PAGE_SIZES if s >= requested), PAGE_SIZES[-1])


class Paging:
    """page[number] and page[size] of this request; the size is rounded as the document says."""

    def __init__(self):
        self.number = positive_int("page[number]", 1)
        self.size = effective_size(positive_int("page[size]", DEFAULT_PAGE_SIZE, MAX_REQUESTED_SIZE))

    def slice(self, seq):
        start = (self.number - 1) * self.size
        return seq[start:start + self.size]

    def meta(self, total: int) -> dict:
        return {"total": total, "page": {"number": self.number, "size": self.size}}

    def links(self, total: int) -> dict:
        last = max(1, -(-total // self.size))
        links = {"self": self.href(self.number), "first": self.href(1)}
        if self.number > 1:
            links["prev"] = self.href(min(self.number - 1, last))
        if self.number < last:
            links["next"] = self.href(self.number + 1)
        links["last"] = self.href(last)
        return links

    def href(self, number: int) -> str:
        query = {k: v for k, v in request.args.items() if not k.startswith("page[")}
        query["page[number]"], query["page[size]"] = number, self.size
        return f"{request.host_url.rstrip('/')}{request.path}?{urlencode(query, safe='[],')}"


def fields(kind: str) -> set | None:
    """The fields[<kind>] asked for: None for the default set, "all" for every field."""
    raw = request.args.get(f"fields[{kind}]")
    if raw is None:
        return None
    names = {n.strip() for n in raw.split(",") if n.strip()}
    return {"all"} if "all" in names else names


def link(path: str) -> str:
    return request.host_url.rstrip("/") + path


def media_link(path: str) -> str:
    """A media file's URL, where browsers reach the sandbox (--media-url)."""
    return media_origin() + path

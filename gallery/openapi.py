"""The OpenAPI 3 description of /api/v1, generated from the same marshmallow schemas the views dump with."""
import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, current_app

from .api.caching import cached_json
from .api.cors import allow_origins
from .api.schemas import ErrorAnswer
from .extensions import get_registry
from .media.capabilities import FILTERS
from .media.models import Freshness

bp = Blueprint("openapi", __name__)
bp.after_request(allow_origins)

PREFIX = "/api/v1/"
_MAX_AGE = 300


def documented(summary, response=None, query=None, not_found=None, scope=None):
    """Record on a GET view what its OpenAPI operation says: its query schema, answer schema, 404 code,
    and the listing `scope` (product, category, brand) whose sorts and filters depend on the provider."""
    def mark(view):
        view.openapi = {"summary": summary, "response": response, "query": query, "not_found": not_found,
                        "scope": scope}
        return view
    return mark


def _error(description, headers=None):
    answer = {"description": description, "content": {"application/json": {"schema": "Error"}}}
    if headers:
        answer["headers"] = headers
    return answer


_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again.", "schema": {"type": "integer"}}}
_CACHED = {
    "Cache-Control": {"description": "public, max-age = the upstream's remaining freshness, "
                                     "stale-while-revalidate, stale-if-error", "schema": {"type": "string"}},
    "ETag": {"description": "Strong validator (hash of the body); send it back as If-None-Match.",
             "schema": {"type": "string"}},
}


def _path_parameters(rule):
    return [{"in": "path", "name": name, "required": True, "schema": {"type": "string"},
             "description": "URL-encoded; any characters are allowed."} for name in sorted(rule.arguments)]


def _undocumented(rule, view):
    """A route whose view carries no `documented` mark still appears, described by its docstring."""
    summary = (view.__doc__ or rule.endpoint).strip().splitlines()[0]
    return {"summary": summary, "operationId": rule.endpoint.replace(".", "_"), "parameters": _path_parameters(rule),
            "responses": {"default": {"description": "See docs/api.md.",
                                      "content": {"application/json": {"schema": {"type": "object"}}}}}}


def _operation(rule, doc):
    parameters = _path_parameters(rule)
    if doc["query"]:
        parameters.append({"in": "query", "schema": doc["query"]})
    content = {"application/json": {"schema": doc["response"] or {"type": "object"}}}
    responses = {
        "200": {"description": doc["summary"], "headers": _CACHED, "content": content},
        "304": {"description": "Not modified (If-None-Match matched the ETag)."},
    }
    if doc["query"]:
        responses["400"] = _error("invalid_parameter (with the field) or invalid_cursor")
        responses["410"] = _error("cursor_expired: start again from the first page")
    if doc["not_found"]:
        responses["404"] = _error(doc["not_found"])
    if doc["response"]:
        responses["502"] = _error("upstream_bad_response")
        responses["503"] = _error("upstream_unavailable", _RETRY_AFTER)
        responses["504"] = _error("upstream_timeout", _RETRY_AFTER)
    return {"summary": doc["summary"], "operationId": rule.endpoint.replace(".", "_"),
            "parameters": parameters, "responses": responses}


def build_spec(app):
    spec = APISpec(title="gallery", version="1", openapi_version="3.0.3", plugins=[MarshmallowPlugin()],
                   info={"description": "User-generated photos and videos for product pages. See docs/api.md."})
    spec.components.schema("Error", schema=ErrorAnswer)
    operations = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(PREFIX):
            view = app.view_functions[rule.endpoint]
            doc = getattr(view, "openapi", None)
            path = re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", r"{\1}", rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                operation = _operation(rule, doc) if doc and method == "GET" else _undocumented(rule, view)
                operations.setdefault(path, {})[method.lower()] = operation
    for path in sorted(operations):
        spec.path(path=path, operations=operations[path])
    document = spec.to_dict()
    for rule in app.url_map.iter_rules():
        doc = getattr(app.view_functions[rule.endpoint], "openapi", None)
        if rule.rule.startswith(PREFIX) and doc and doc["scope"]:
            path = re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", r"{\1}", rule.rule)
            _providers_support(document["paths"][path]["get"], doc["scope"], get_registry(app))
    return document


def _providers_support(operation, scope, registry):
    """Say on a listing's sort and filter parameters which configured provider supports what
    (`x-providers`); the sort's enum is what at least one of them supports."""
    support = {source.name: source.capabilities for source in registry}
    for parameter in operation["parameters"]:
        name = parameter["name"]
        if name == "sort":
            by = {p: list(c.sorts.get(scope, ())) for p, c in support.items()}
            parameter["schema"]["enum"] = [s for s in parameter["schema"]["enum"]
                                           if any(s in sorts for sorts in by.values())]
            parameter["x-providers"] = by
        elif name in FILTERS:
            parameter["x-providers"] = sorted(p for p, c in support.items() if name in c.filters)
        elif name == "providers":  # comma-separated, so no enum: the names, and a pattern of them
            names = "|".join(re.escape(n) for n in registry.names)
            parameter["schema"]["pattern"] = f"^({names})(,({names}))*$"
            parameter["x-providers"] = registry.names


@bp.get(PREFIX + "openapi.json")
@documented("This OpenAPI 3 document")
def openapi_json():
    return cached_json(build_spec(current_app), Freshness(_MAX_AGE))

"""Query parameters of /api/v1, validated by marshmallow. A bad value is 400 invalid_parameter naming the field."""
from flask import request
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from ..errors import ApiError
from ..extensions import get_registry
from ..media import federation
from ..media.capabilities import FILTERS, SORTS

# Characters of a tag key. Checked here, so that a longer one is our JSON 400 rather than gunicorn's
# HTML 414: even percent-encoded UTF-8 (up to 12 bytes a character) it stays under its 4,094-byte line.
TAG_KEY_MAX = 255


def check_tag_key(endpoint, values):
    """url_value_preprocessor of the blueprints whose routes take a tag key."""
    if values and len(values.get("tag_key", "")) > TAG_KEY_MAX:
        raise ApiError(400, "invalid_parameter", f"tag_key: longer than {TAG_KEY_MAX} characters.", field="tag_key")


PROVIDERS = fields.String(load_default=None, metadata={
    "description": "Comma-separated provider names (e.g. `olapic,momapix`): the providers the answer draws from, "
                   "in this order. Default: every configured provider, in GALLERY_PROVIDERS order."})


def _flag(description):
    return fields.Integer(validate=validate.OneOf([0, 1]), metadata={"description": description})


class ProductQuery(Schema):
    class Meta:
        unknown = EXCLUDE  # cache busters and analytics parameters are harmless

    providers = PROVIDERS


class MediaQuery(ProductQuery):
    sort = fields.String(load_default="recent", validate=validate.OneOf(SORTS), metadata={
        "description": "Which sorts each provider supports, per listing: see docs/api.md, \"Providers\"."})
    limit = fields.Integer(
        load_default=20, validate=validate.Range(1, 100),
        metadata={"description": "Media per page. Above 50 the service follows upstream pages itself."},
    )
    cursor = fields.String(load_default=None, metadata={"description": "The `next` of the previous page, unchanged."})
    mix = fields.String(load_default=None, metadata={
        "description": "How several providers are mixed: `interleave` (under sort=recent: merged by date), "
                       "`sequence` (all of one provider, then the next), or weights such as `olapic:2,momapix:1` "
                       "(an interleave; providers not named weigh 1). Default: the GALLERY_MIX setting."})
    rights_given = _flag("1: only media whose rights were given.")
    include_tagged_galleries = _flag("0: leave out manually created and parent galleries.")
    include_inactive_galleries = _flag("1: include media of inactive galleries.")
    filter_media_without_products = _flag("1: leave out media tagged to no product.")


def invalid(field, message):
    return ApiError(400, "invalid_parameter", f"{field}: {message}", field=field)


def load(schema, scope=None):
    """The validated query of this request, as a dict with `filters` gathered apart, `sources`, the
    providers it draws from (in order), and for a listing (`scope`) `mix`, the sources chosen among
    those by what they support (federation.choose)."""
    try:
        query = schema.load(request.args.to_dict())
    except ValidationError as exc:
        field, messages = next(iter(exc.messages.items()))
        message = messages[0] if isinstance(messages, list) else str(messages)
        raise invalid(field, message) from None
    query["filters"] = {name: query.pop(name) for name in FILTERS if name in query}
    query["sources"] = _providers(query.pop("providers"))
    if scope is not None:
        query["mix"] = _mix(query.pop("mix"))
        query["sources"], refusal = federation.choose(query["sources"], scope, query["sort"], query["filters"])
        if refusal:
            raise invalid(*refusal)
    return query


def _providers(names):
    registry = get_registry()
    if names is None:
        return list(registry)
    wanted = list(dict.fromkeys(name.strip() for name in names.split(",") if name.strip()))
    unknown = [name for name in wanted if name not in registry.names]
    if not wanted or unknown:
        raise invalid("providers", f"{', '.join(unknown) or 'nothing'} is not a configured provider "
                                   f"(configured: {', '.join(registry.names)})")
    return [registry.get(name) for name in wanted]


def _mix(text):
    registry = get_registry()
    if text is None:
        return registry.mix
    try:
        mix = federation.parse_mix(text)
    except ValueError as exc:
        raise invalid("mix", str(exc)) from None
    unknown = [name for name, _ in mix.weights if name not in registry.names]
    if unknown:
        raise invalid("mix", f"{', '.join(unknown)} is not a configured provider")
    return mix


product_query = ProductQuery()
media_query = MediaQuery()

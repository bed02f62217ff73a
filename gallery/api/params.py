"""Query parameters of /api/v1, validated by marshmallow. A bad value is 400 invalid_parameter naming the field."""
from flask import request
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from ..errors import ApiError
from ..sources.base import FILTERS, SORTS

COLLECTION_SORTS = [s for s in SORTS if s != "media_position"]  # media_position exists on products only
# Characters of a tag key. Checked here, so that a longer one is our JSON 400 rather than gunicorn's
# HTML 414: even percent-encoded UTF-8 (up to 12 bytes a character) it stays under its 4,094-byte line.
TAG_KEY_MAX = 255


def check_tag_key(endpoint, values):
    """url_value_preprocessor of the blueprints whose routes take a tag key."""
    if values and len(values.get("tag_key", "")) > TAG_KEY_MAX:
        raise ApiError(400, "invalid_parameter", f"tag_key: longer than {TAG_KEY_MAX} characters.", field="tag_key")


def _flag(description):
    return fields.Integer(validate=validate.OneOf([0, 1]), metadata={"description": description})


class MediaQuery(Schema):
    class Meta:
        unknown = EXCLUDE  # cache busters and analytics parameters are harmless

    sort = fields.String(load_default="recent", validate=validate.OneOf(COLLECTION_SORTS))
    limit = fields.Integer(
        load_default=20, validate=validate.Range(1, 100),
        metadata={"description": "Media per page. Above 50 the service follows upstream pages itself."},
    )
    cursor = fields.String(load_default=None, metadata={"description": "The `next` of the previous page, unchanged."})
    rights_given = _flag("1: only media whose rights were given.")
    include_tagged_galleries = _flag("0: leave out manually created and parent galleries.")
    include_inactive_galleries = _flag("1: include media of inactive galleries.")
    filter_media_without_products = _flag("1: leave out media tagged to no product.")


class ProductMediaQuery(MediaQuery):
    sort = fields.String(load_default="recent", validate=validate.OneOf(SORTS))


def load(schema):
    """The validated query of this request, as a dict with `filters` gathered apart."""
    try:
        query = schema.load(request.args.to_dict())
    except ValidationError as exc:
        field, messages = next(iter(exc.messages.items()))
        message = messages[0] if isinstance(messages, list) else str(messages)
        raise ApiError(400, "invalid_parameter", f"{field}: {message}", field=field) from None
    query["filters"] = {name: query.pop(name) for name in FILTERS if name in query}
    return query


media_query = MediaQuery()
product_media_query = ProductMediaQuery()

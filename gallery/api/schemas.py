"""The public shapes of docs/api.md, defined once: views dump through them and OpenAPI is built from them.

Dumping through these schemas is also what keeps source internals out: only declared fields leave.
"""
from marshmallow import Schema, fields, validate

from ..media.capabilities import KINDS


class Rendition(Schema):
    name = fields.String(required=True, metadata={"example": "normal"})
    url = fields.String(required=True)
    width = fields.Integer(allow_none=True)
    height = fields.Integer(allow_none=True)


class Uploader(Schema):
    name = fields.String(allow_none=True)
    username = fields.String(allow_none=True)
    avatar_url = fields.String(allow_none=True)


class TaggedProduct(Schema):
    id = fields.String(required=True)
    tag_key = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    image = fields.String(allow_none=True)


class Media(Schema):
    id = fields.String(required=True, metadata={
        "example": "3042079992",
        "description": "Unique across providers: Olapic ids are bare, others carry their provider's prefix "
                       "(mg-, ad-, mpx-)."})
    provider = fields.String(required=True, metadata={"example": "olapic",
                                                      "description": "The source that served this medium."})
    kind = fields.String(required=True, validate=validate.OneOf(KINDS), metadata={
        "example": "ugc", "description": "ugc: a shopper's photo or video; brand: one of the brand's curated assets."})
    credit = fields.String(required=True, allow_none=True, metadata={
        "example": None, "description": "Brand media: the brand's credit label (BRAND_CREDIT), to show instead of "
                                        "an uploader; null for ugc (or when no label is set)."})
    type = fields.String(required=True, validate=validate.OneOf(["image", "video"]))
    caption = fields.String(allow_none=True, metadata={"description": "Plain text, never HTML: render it as text."})
    source = fields.String(allow_none=True, metadata={"example": "instagram"})
    width = fields.Integer(allow_none=True)
    height = fields.Integer(allow_none=True)
    date_published = fields.String(allow_none=True, metadata={"format": "date-time"})
    renditions = fields.List(fields.Nested(Rendition), required=True)
    uploader = fields.Nested(Uploader, allow_none=True)
    share_url = fields.String(allow_none=True)
    video_url = fields.String(allow_none=True)
    products = fields.List(fields.Nested(TaggedProduct), required=True)


class Product(Schema):
    id = fields.String(required=True, metadata={"example": "2190252887"})
    tag_key = fields.String(required=True, metadata={"example": "acme-anvil-50lb"})
    name = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    image = fields.String(allow_none=True)


class ProductAnswer(Schema):
    product = fields.Nested(Product, required=True)


class MediaAnswer(Schema):
    media = fields.Nested(Media, required=True)


class MediaPage(Schema):
    media = fields.List(fields.Nested(Media), required=True)
    next = fields.String(
        required=True, allow_none=True,
        metadata={"description": "Opaque cursor for the next page (pass it back as `cursor`), null on the last page."},
    )
    partial = fields.List(fields.String(), required=True, metadata={
        "example": [],
        "description": "Providers that failed for this page (nothing stale to serve): the page is made of the others, "
                       "and their media come on later pages through `next`. Empty when the page is complete."})


class ErrorDetail(Schema):
    code = fields.String(required=True, metadata={"example": "invalid_parameter"})
    message = fields.String(required=True)
    field = fields.String(metadata={"description": "The query parameter at fault, when there is one."})


class ErrorAnswer(Schema):
    error = fields.Nested(ErrorDetail, required=True)


# Instances reused by the views (schemas are stateless once built).
product_answer = ProductAnswer()
media_answer = MediaAnswer()
media_page = MediaPage()

"""/api/v1: thin views over the media source. Validation, cursors, errors, headers and the memo of
rendered answers (memo.py) live beside them; a view returns its payload and its freshness."""
from functools import partial

from flask import Blueprint
from werkzeug.routing import PathConverter

from ..extensions import get_source
from ..openapi import documented
from . import cursor, params, schemas
from .cors import allow_origins
from .failures import source_errors
from .memo import RenderedAnswers, memoized

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.after_request(allow_origins)
bp.url_value_preprocessor(params.check_tag_key)


class TagKeyConverter(PathConverter):
    """A tag key is opaque: any characters, slashes included, even leading or doubled ones. With the
    rules' merge_slashes off, "/a" or "a//b" reach the view as they are, never redirected to "a" or "a/b"."""

    regex = ".+?"
    part_isolating = False  # it spans "/"-separated parts


# Converters must be known before the rules that use them are added.
bp.record_once(lambda state: state.app.url_map.converters.setdefault("tag_key", TagKeyConverter))
bp.record_once(lambda state: state.app.extensions.setdefault("rendered_answers", RenderedAnswers()))


def _page(scope, key, query, fetch, not_found):
    """A page of a collection: the cursor checked and unwrapped, the source asked, the next cursor signed."""
    bound_to = cursor.binding(scope, key, query)
    state = cursor.load(query["cursor"], bound_to) if query["cursor"] else None
    with source_errors(not_found):
        page = fetch(query["sort"], query["limit"], query["filters"], state)
    next_cursor = cursor.dump(page.next_state, bound_to) if page.next_state else None
    return schemas.media_page.dump({"media": page.items, "next": next_cursor}), page.freshness


@bp.get("/products/<tag_key:tag_key>", merge_slashes=False)
@documented("A product (its gallery) by the retailer's product id", schemas.ProductAnswer,
            not_found="product_not_found")
@memoized
def product(tag_key):
    with source_errors("product_not_found"):
        item = get_source().product(tag_key)
    return schemas.product_answer.dump({"product": item.value}), item.freshness


@bp.get("/products/<tag_key:tag_key>/media", merge_slashes=False)
@documented("A page of a product's media", schemas.MediaPage, params.ProductMediaQuery, "product_not_found")
@memoized
def product_media(tag_key):
    query = params.load(params.product_media_query)
    fetch = partial(get_source().product_media, tag_key)
    return _page("product", tag_key, query, fetch, "product_not_found")


@bp.get("/categories/<tag_key:tag_key>/media", merge_slashes=False)
@documented("A page of a category's media", schemas.MediaPage, params.MediaQuery, "category_not_found")
@memoized
def category_media(tag_key):
    query = params.load(params.media_query)
    fetch = partial(get_source().category_media, tag_key)
    return _page("category", tag_key, query, fetch, "category_not_found")


@bp.get("/media")
@documented("A page of the brand's media", schemas.MediaPage, params.MediaQuery)
@memoized
def brand_media():
    query = params.load(params.media_query)
    return _page("brand", "", query, get_source().brand_media, "media_not_found")


@bp.get("/media/<media_id>")
@documented("One medium by id", schemas.MediaAnswer, not_found="media_not_found")
@memoized
def medium(media_id):
    with source_errors("media_not_found"):
        item = get_source().medium(media_id)
    return schemas.media_answer.dump({"media": item.value}), item.freshness

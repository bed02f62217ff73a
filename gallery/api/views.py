"""/api/v1: thin views over the configured sources (the registry's), never naming one. A listing is a
federation of the providers it draws from (gallery/media/federation.py), one or several. Validation,
provider choice, cursors, errors, headers and the memo of rendered answers (memo.py) live beside them;
a view returns its payload and its freshness."""
from functools import partial

from flask import Blueprint
from werkzeug.routing import PathConverter

from ..errors import ApiError
from ..extensions import get_registry
from ..media import federation
from ..media.registry import UnknownProvider
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


def _page(scope, key, query, listing, not_found):
    """A page of a collection: the cursor checked and unwrapped, the providers asked through their
    federation, the next cursor signed. `listing(catalogue)`: its method for this collection."""
    sources, mix = query["sources"], query["mix"]
    names = [source.name for source in sources]
    bound_to = cursor.binding(scope, key, query)
    providers = ",".join(names) + ";" + (mix.label(names) if len(names) > 1 else "one")
    state = _resume(query["cursor"], bound_to, providers, sources) if query["cursor"] else None
    with source_errors(not_found):
        page = listing(get_registry().federated(sources, mix))(query["sort"], query["limit"], query["filters"], state)
    next_cursor = cursor.dump(page.next_state, bound_to, providers) if page.next_state else None
    payload = {"media": page.items, "next": next_cursor, "partial": page.partial}
    return schemas.media_page.dump(payload), page.freshness


def _resume(token, bound_to, providers, sources):
    """The federated state of `token`. A cursor of one provider's own, minted before federation (or
    before providers: Olapic's), continues that provider's walk, the others starting from their first page."""
    minted_for, state = cursor.load(token, bound_to)
    if minted_for == providers:
        return state
    if minted_for is None:
        minted_for = next((s.name for s in sources if not s.capabilities.id_prefix), None)
    if minted_for in [source.name for source in sources]:
        return federation.lift(minted_for, state)
    raise cursor.foreign()


@bp.get("/products/<tag_key:tag_key>", merge_slashes=False)
@documented("A product (its gallery) by the retailer's product id", schemas.ProductAnswer, params.ProductQuery,
            not_found="product_not_found")
@memoized
def product(tag_key):
    sources = params.load(params.product_query)["sources"]
    with source_errors("product_not_found"):
        item = get_registry().federated(sources, get_registry().mix).product(tag_key)
    return schemas.product_answer.dump({"product": item.value}), item.freshness


@bp.get("/products/<tag_key:tag_key>/media", merge_slashes=False)
@documented("A page of a product's media", schemas.MediaPage, params.MediaQuery, "product_not_found",
            scope="product")
@memoized
def product_media(tag_key):
    query = params.load(params.media_query, "product")
    return _page("product", tag_key, query, lambda catalogue: partial(catalogue.product_media, tag_key),
                 "product_not_found")


@bp.get("/categories/<tag_key:tag_key>/media", merge_slashes=False)
@documented("A page of a category's media", schemas.MediaPage, params.MediaQuery, "category_not_found",
            scope="category")
@memoized
def category_media(tag_key):
    query = params.load(params.media_query, "category")
    return _page("category", tag_key, query, lambda catalogue: partial(catalogue.category_media, tag_key),
                 "category_not_found")


@bp.get("/media")
@documented("A page of the brand's media", schemas.MediaPage, params.MediaQuery, scope="brand")
@memoized
def brand_media():
    query = params.load(params.media_query, "brand")
    return _page("brand", "", query, lambda catalogue: catalogue.brand_media, "media_not_found")


@bp.get("/media/<media_id>")
@documented("One medium by id (its provider is known by the id's prefix)", schemas.MediaAnswer,
            not_found="media_not_found")
@memoized
def medium(media_id):
    try:
        source = get_registry().for_media(media_id)
    except UnknownProvider:
        raise ApiError(404, "media_not_found", "No such medium, or it is not active.") from None
    with source_errors("media_not_found"):
        item = source.catalogue.medium(media_id)
    return schemas.media_answer.dump({"media": item.value}), item.freshness

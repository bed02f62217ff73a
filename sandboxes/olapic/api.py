"""The Olapic Widget API v2.2 endpoints: parameter validation, lookups, collections and uploads."""
import random
import re
import secrets
import string
from urllib.parse import parse_qsl, urlsplit

from flask import Blueprint, current_app, g, jsonify, request

from . import errors, hal, images, pagination
from .catalogue import image_key
from .store import Medium, Stash, User

bp = Blueprint("olapic", __name__)

STASH_TTL = 3600  # seconds of sandbox clock
SEVEN_DAYS = 7 * 86400
SHUFFLE_WINDOW = 1800  # the reference recomputes the random order every 30 minutes
MEDIA_FLAGS = ("rights_given", "include_tagged_galleries", "include_inactive_galleries",
               "filter_media_without_products", "disable_embedded_streams", "disable_embedded_categories")
KEPT_PARAMS = ("count", *MEDIA_FLAGS, "wrap_responses")
UNAUTHENTICATED = {"olapic.media_file", "olapic.avatar"}


def sandbox():
    return current_app.extensions["sandbox"]


def state():
    """The state this request started with (a concurrent reset swaps in a new one)."""
    return g.state


def ok(data, status: int = 200):
    response = jsonify(errors.envelope(status, data))
    response.status_code = status
    return response


# -- the gate every API request passes ------------------------------------------------------------
def gate():
    """Charset, credentials, version and wrap_responses checks, in the order docs/sandbox.md gives."""
    if request.routing_exception is not None or request.method == "OPTIONS":
        return
    sb = sandbox()
    g.state = sb.state
    _check_charset()
    if request.endpoint in UNAUTHENTICATED:
        return
    if request.args.get("auth_token") != sb.api_key:
        raise errors.invalid_credentials()
    version = request.args.get("version")
    real = current_app.config["SANDBOX_REAL_SHAPES"]
    if version is None and not real:
        raise errors.missing("version")
    if version != errors.VERSION and not (real and version in errors.REAL_VERSIONS):
        raise errors.invalid_value("version", version, errors.VERSION)
    flag("wrap_responses", False)
    g.ctx = hal.Ctx(g.state, request.host, sb.api_key, real=real, shards=current_app.config["SANDBOX_SHARD_LINKS"])


def _check_charset() -> None:
    for name, value in parse_qsl(request.environ.get("QUERY_STRING", ""), keep_blank_values=True,
                                 encoding="latin-1"):
        try:
            name.encode("latin-1").decode("utf-8")
            value.encode("latin-1").decode("utf-8")
        except UnicodeDecodeError:
            raise errors.bad_charset(name.encode("latin-1").decode("utf-8", "replace")) from None
    # Path segments were already decoded by the router, which marks undecodable bytes with U+FFFD.
    for name, value in (request.view_args or {}).items():
        if "\ufffd" in value:
            raise errors.bad_charset(name)


# -- parameters -----------------------------------------------------------------------------------
def flag(name: str, default: bool) -> bool:
    raw = request.args.get(name)
    if raw is None:
        return default
    if raw not in ("0", "1"):
        raise errors.invalid_value(name, raw, "0|1")
    return raw == "1"


def required_arg(name: str) -> str:
    value = request.args.get(name)
    if not value:
        raise errors.missing(name)
    return value


def post_param(name: str) -> str | None:
    """POST parameters may come as form fields or in the query string."""
    value = request.form.get(name)
    return value if value is not None else request.args.get(name)


def media_options(tagged_default: bool = True) -> hal.MediaOptions:
    return hal.MediaOptions(include_tagged=flag("include_tagged_galleries", tagged_default),
                            include_inactive=flag("include_inactive_galleries", False),
                            streams=not flag("disable_embedded_streams", False),
                            categories=not flag("disable_embedded_categories", False))


def kept_params() -> dict:
    return {k: request.args[k] for k in KEPT_PARAMS if k in request.args}


# -- lookups --------------------------------------------------------------------------------------
def owned(entity_type: str, table: dict, entity_id: str, active=None):
    entity = table.get(entity_id)
    if entity is None:
        raise errors.not_found(entity_type, entity_id)
    if entity.customer_id != state().key_customer_id:
        raise errors.forbidden()
    if active is not None and not active(entity):
        raise errors.inactive(entity_type, entity_id)
    return entity


def get_customer(customer_id: str):
    c = state().customers.get(customer_id)
    if c is None:
        raise errors.not_found("Customer", customer_id)
    if c.id != state().key_customer_id:
        raise errors.forbidden()
    return c


def key_customer():
    return state().customers[state().key_customer_id]


def _stream_active(s) -> bool:
    return s.gallery_status != "INACTIVE"


def _medium_active(m) -> bool:
    return m.status == "approved"


def get_stream(stream_id: str):
    return owned("Stream", state().streams, stream_id, _stream_active)


def get_medium(media_id: str):
    return owned("Media", state().media, media_id, _medium_active)


def get_category(category_id: str):
    return owned("Category", state().categories, category_id)


def get_user(user_id: str):
    return owned("User", state().users, user_id)


def stream_by_key(customer_id: str, tag_key: str):
    s = state().stream_by_key(get_customer(customer_id).id, tag_key)
    if s is None:
        raise errors.not_found("Stream", tag_key)
    if not _stream_active(s):
        raise errors.inactive("Stream", s.id)
    return s


def category_by_key(customer_id: str, key: str):
    c = state().category_by_key(get_customer(customer_id).id, key)
    if c is None:
        raise errors.not_found("Category", key)
    return c


def instagram_user(customer_id: str, handle: str):
    u = state().user_by_instagram(get_customer(customer_id).id, handle)
    if u is None:
        raise errors.not_found("User", handle)
    return u


# -- media collections ----------------------------------------------------------------------------
def _has_product(st, m: Medium) -> bool:
    """Tagged to at least one stream with status OK, i.e. a product stream (neither TAG nor INACTIVE)."""
    return any(st.streams[sid].gallery_status == "OK" for sid in m.stream_ids)


def _order(st, media: list, sort: str, seed_key: str, now: float, positions: dict | None) -> list:
    if sort == "recent":
        media.sort(key=lambda m: (m.date_published, int(m.id)), reverse=True)
    elif sort == "photorank":
        media.sort(key=lambda m: (m.photorank, int(m.id)), reverse=True)
    elif sort == "rated":
        fresh = now - SEVEN_DAYS
        media.sort(key=lambda m: (1.0 if m.date_published >= fresh else m.ctr, m.date_published, int(m.id)),
                   reverse=True)
    elif sort == "shuffled":
        media.sort(key=lambda m: int(m.id))
        random.Random(f"{seed_key}:{int(now // SHUFFLE_WINDOW)}").shuffle(media)
    else:  # media_position
        media.sort(key=lambda m: (positions[m.id], int(m.id)))
    return [m.id for m in media]


def media_collection(base: str, sort: str, candidates, sorts=hal.MEDIA_SORTS, positions=None):
    """A paginated media list of `base` (e.g. "/streams/1"), whose media come from `candidates()`."""
    if sort not in sorts:
        raise errors.invalid_value("sorting_option", sort, "|".join(sorts))
    opts = media_options()
    rights, products = flag("rights_given", False), flag("filter_media_without_products", False)
    sb = sandbox()
    st, now, path = state(), sb.clock.now(), f"{base}/media/{sort}"

    def compute():
        media = [m for m in candidates() if m.status == "approved" and m.listed
                 and (m.rights or not rights) and (not products or _has_product(st, m))]
        return _order(st, media, sort, path, now, positions)

    order_key = (path, rights, products, int(now // SHUFFLE_WINDOW))
    with sb.lock:
        snap, number, ids = pagination.open_page(
            st, now, path, lambda: pagination.cached_order(st, order_key, compute), kept_params())
    media = [st.media[i] for i in ids if st.media[i].status == "approved"]
    return ok({"_links": pagination.links(g.ctx, snap, number),
               "_embedded": {"media": g.ctx.items([hal.medium(g.ctx, m, opts) for m in media]),
                             "customer": hal.customer(g.ctx, key_customer())}})


def entity_collection(path: str, ids, lookup, render, name: str, with_customer: bool = False):
    """A paginated list of streams, categories or widgets."""
    sb = sandbox()
    with sb.lock:
        snap, number, page = pagination.open_page(state(), sb.clock.now(), path, lambda: tuple(ids),
                                                  kept_params())
    embedded = {name: g.ctx.items([render(g.ctx, lookup[i]) for i in page if i in lookup])}
    if with_customer:
        embedded["customer"] = hal.customer(g.ctx, key_customer())
    return ok({"_links": pagination.links(g.ctx, snap, number), "_embedded": embedded})


def _stream_media(s, sort: str):
    st = state()
    return media_collection(f"/streams/{s.id}", sort, lambda: (st.media[i] for i in s.positions),
                            hal.STREAM_SORTS, s.positions)


def _category_media(c, sort: str):
    st = state()

    def candidates():
        seen = {}
        for sid in c.stream_ids:
            for mid in st.streams[sid].positions:
                seen.setdefault(mid, st.media[mid])
        return seen.values()

    return media_collection(f"/categories/{c.id}", sort, candidates)


def _user_media(u, base: str, sort: str):
    st = state()
    return media_collection(base, sort, lambda: (m for m in st.media.values() if m.uploader_id == u.id),
                            ("recent",))


# -- customer -------------------------------------------------------------------------------------
@bp.get("/")
def root():
    customer = hal.customer(g.ctx, key_customer())
    if not g.ctx.real:  # the reference puts the customer straight in data
        return ok(customer)
    # The real API wraps it (Olapic's tutorial, its DevKit fixtures).
    return ok({"_links": {"self": {"href": g.ctx.href("/")}}, "_fixed": True, "_embedded": {"customer": customer}})


@bp.get("/customers/<customer_id>")
def customer(customer_id):
    return ok(hal.customer(g.ctx, get_customer(customer_id)))


@bp.get("/customers/<customer_id>/media/<sorting_option>")
def customer_media(customer_id, sorting_option):
    c = get_customer(customer_id)
    st = state()
    return media_collection(f"/customers/{c.id}", sorting_option,
                            lambda: (m for m in st.media.values() if m.customer_id == c.id))


# -- media ----------------------------------------------------------------------------------------
@bp.get("/media/<media_id>")
def medium(media_id):
    return ok(hal.medium(g.ctx, get_medium(media_id), media_options()))


@bp.get("/media/<media_id>/streams")
def medium_streams(media_id):
    m = get_medium(media_id)
    streams = hal.visible_streams(g.ctx, m, flag("include_tagged_galleries", False),
                                  flag("include_inactive_galleries", False))
    return ok({"_links": [], "_embedded": {"stream": g.ctx.items([hal.stream(g.ctx, s) for s in streams])}})


@bp.get("/media/<media_id>/categories")
def medium_categories(media_id):
    m = get_medium(media_id)
    return ok({"_links": [], "_embedded": {"category": g.ctx.items([hal.category(g.ctx, c)
                                                                    for c in hal.media_categories(g.ctx, m)])}})


@bp.get("/media/<a>/<b>/<c>/<key>/<name>")
def media_file(a, b, c, key, name):
    m = state().media_by_key.get(key)
    stem, _, ext = name.partition(".")
    if m is None or (a, b, c) != tuple(key[:3]):
        raise errors.not_found("Media", key)
    if name == "video.mp4" and m.type == "VIDEO":
        body = m.upload if m.upload_type == "mp4" else images.PLACEHOLDER_MP4
        return current_app.response_class(body, mimetype="video/mp4")
    if ext != "jpg" or stem not in hal.RENDITIONS:
        raise errors.not_found("Media", key)
    return current_app.response_class(state().renditions.get(m, stem), mimetype="image/jpeg")


@bp.get("/avatars/<user_id>.jpg")
def avatar(user_id):
    if user_id not in state().users:
        raise errors.not_found("User", user_id)
    return current_app.response_class(images.avatar(user_id), mimetype="image/jpeg")


@bp.post("/media/<media_id>/reports")
def report(media_id):
    m = get_medium(media_id)
    email, reason = post_param("email"), post_param("reason")
    if not email:
        raise errors.missing("email")
    if not reason:
        raise errors.missing("reason")
    sb = sandbox()
    with sb.lock:
        m.status = "reported"
        state().version += 1
    return ok(None, 201)


# -- streams --------------------------------------------------------------------------------------
@bp.get("/streams/<stream_id>")
def stream(stream_id):
    return ok(hal.stream(g.ctx, get_stream(stream_id), full_customer=True))


@bp.get("/customers/<customer_id>/streams/search")
def stream_search(customer_id):
    return ok(hal.stream(g.ctx, stream_by_key(customer_id, required_arg("tag_key")), full_customer=True))


@bp.get("/customers/<customer_id>/streams/bytag/<tag_key>")
def stream_bytag(customer_id, tag_key):
    return ok(hal.stream(g.ctx, stream_by_key(customer_id, tag_key), full_customer=True))


@bp.get("/streams/bytag/<tag_key>")
def stream_bytag_of_key(tag_key):
    return ok(hal.stream(g.ctx, stream_by_key(state().key_customer_id, tag_key), full_customer=True))


@bp.get("/streams/<stream_id>/media/<sorting_option>")
def stream_media(stream_id, sorting_option):
    return _stream_media(get_stream(stream_id), sorting_option)


@bp.get("/streams/media/<sorting_option>")
def stream_media_by_key(sorting_option):
    return _stream_media(stream_by_key(state().key_customer_id, required_arg("tag_key")), sorting_option)


@bp.get("/customers/<customer_id>/streams")
def customer_streams(customer_id):
    c = get_customer(customer_id)
    st = state()
    ids = [s.id for s in st.streams.values() if s.customer_id == c.id and _stream_active(s)]
    return entity_collection(f"/customers/{c.id}/streams", ids, st.streams, hal.stream, "gallery")


@bp.get("/categories/<category_id>/streams")
def category_streams(category_id):
    c = get_category(category_id)
    st = state()
    ids = [sid for sid in c.stream_ids if _stream_active(st.streams[sid])]
    return entity_collection(f"/categories/{c.id}/streams", ids, st.streams, hal.stream, "gallery")


@bp.get("/streams/<stream_id>/categories")
def stream_categories(stream_id):
    s = get_stream(stream_id)
    return entity_collection(f"/streams/{s.id}/categories", s.category_ids, state().categories, hal.category,
                             "category")


# -- categories -----------------------------------------------------------------------------------
@bp.get("/categories/<category_id>")
def category(category_id):
    return ok(hal.category(g.ctx, get_category(category_id), full_customer=True))


@bp.get("/customers/<customer_id>/categories/search")
def category_search(customer_id):
    return ok(hal.category(g.ctx, category_by_key(customer_id, required_arg("tag_key")), full_customer=True))


@bp.get("/customers/<customer_id>/categories")
def customer_categories(customer_id):
    c = get_customer(customer_id)
    st = state()
    ids = [cat.id for cat in st.categories.values() if cat.customer_id == c.id]
    return entity_collection(f"/customers/{c.id}/categories", ids, st.categories, hal.category, "category")


@bp.get("/categories/<category_id>/media/<sorting_option>")
def category_media(category_id, sorting_option):
    return _category_media(get_category(category_id), sorting_option)


@bp.get("/categories/media/<sorting_option>")
def category_media_by_key(sorting_option):
    return _category_media(category_by_key(state().key_customer_id, required_arg("tag_key")), sorting_option)


# -- users ----------------------------------------------------------------------------------------
@bp.get("/users/<user_id>")
def user(user_id):
    return ok(hal.user(g.ctx, get_user(user_id)))


@bp.get("/users/<user_id>/media/<sorting_option>")
def user_media(user_id, sorting_option):
    u = get_user(user_id)
    return _user_media(u, f"/users/{u.id}", sorting_option)


@bp.get("/customers/<customer_id>/instagram_users/<instagram_handle>")
def instagram_user_by_handle(customer_id, instagram_handle):
    u = instagram_user(customer_id, instagram_handle)
    handle = u.social["instagram"]["username"]
    out = hal.user(g.ctx, u, media_path=f"/customers/{u.customer_id}/instagram_users/{handle}/media/recent")
    out["instagram_followers"] = str(u.instagram_followers)
    return ok(out)


@bp.get("/customers/<customer_id>/instagram_users/<instagram_handle>/media/<sorting_option>")
def instagram_user_media(customer_id, instagram_handle, sorting_option):
    u = instagram_user(customer_id, instagram_handle)
    handle = u.social["instagram"]["username"]
    return _user_media(u, f"/customers/{u.customer_id}/instagram_users/{handle}", sorting_option)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@bp.post("/users")
def create_user():
    email = post_param("email")
    if not email:
        raise errors.missing("email")
    if not _EMAIL.match(email):
        raise errors.invalid_value("email", email, "email")
    sb = sandbox()
    with sb.lock:
        st = state()
        u = st.user_by_email(st.key_customer_id, email)
        if u is None:  # known emails return their user, so creating is idempotent
            name = post_param("screen_name") or email.split("@")[0]
            u = User(str(st.next_user_id), st.key_customer_id, name, name, email, post_param("avatar_url") or None)
            st.next_user_id += 1
            st.users[u.id] = u
            st.index_user(u)
    return ok(hal.user(g.ctx, u))


# -- uploads --------------------------------------------------------------------------------------
def _uploaded_file() -> tuple[bytes, str] | None:
    f = request.files.get("file")
    if f is None:
        return None
    data = f.read()
    kind = images.sniff(data)
    if kind is None or (kind != "mp4" and images.image_size(data) is None):
        raise errors.invalid_file()
    return data, kind


@bp.post("/stashes")
def create_stash():
    upload = _uploaded_file()
    if upload is None:
        raise errors.missing("file")
    sb = sandbox()
    stash_id = "".join(secrets.choice(string.ascii_letters) for _ in range(8))
    with sb.lock:
        state().stashes[stash_id] = Stash(stash_id, upload[0], upload[1], sb.clock.now())
    return ok(hal.stash(g.ctx, stash_id))


def _take_stash(url: str) -> tuple[bytes, str]:
    """Consume the stash named by `url` ("/stashes/{id}" or an href to it): single use, one hour."""
    match = re.fullmatch(r"/stashes/([A-Za-z0-9]+)/?", urlsplit(url).path)
    if not match:
        raise errors.invalid_value("url", url, "/stashes/{stash_id}")
    sb = sandbox()
    stash = state().stashes.get(match[1])
    if stash is None or stash.used or sb.clock.now() - stash.created > STASH_TTL:
        raise errors.not_found("Stash", match[1])
    stash.used = True
    return stash.data, stash.kind


def _stream_from_uri(uri: str):
    """Accepts "/streams/{id}", a protocol-relative or absolute stream href, or a bare id."""
    match = re.fullmatch(r"(?:/streams/)?(\d+)/?", urlsplit(uri).path)
    if not match:
        raise errors.invalid_value("stream_uri", uri, "/streams/{stream_id}")
    return get_stream(match[1])


def _location():
    lat, lon = post_param("latitude"), post_param("longitude")
    if lat is None and lon is None:
        return None
    if lat is None:
        raise errors.missing("latitude")
    if lon is None:
        raise errors.missing("longitude")
    point = []
    for name, raw, limit in (("latitude", lat, 90), ("longitude", lon, 180)):
        try:
            value = float(raw)
        except ValueError:
            raise errors.invalid_type(name, "string", "float") from None
        if not -limit <= value <= limit:
            raise errors.invalid_value(name, raw, f"-{limit}..{limit}")
        point.append(value)
    return tuple(point)


@bp.post("/users/<user_id>/media")
def upload_media(user_id):
    u = get_user(user_id)
    upload, url = _uploaded_file(), post_param("url")
    if upload is None and not url:
        raise errors.missing("file")
    if upload is not None and url:
        raise errors.invalid_value("url", url, "no url when a file is sent")
    stream_uri = post_param("stream_uri")
    target = _stream_from_uri(stream_uri) if stream_uri else None
    location = _location()
    caption = post_param("caption") or ""
    sb = sandbox()
    with sb.lock:
        data, kind = upload if upload is not None else _take_stash(url)
        m = _new_medium(sb, u, data, kind, caption, location)
        if target is not None:
            state().tag(m, target)
        state().version += 1
    return ok(hal.medium(g.ctx, m, media_options()))


def _new_medium(sb, u: User, data: bytes, kind: str, caption: str, location) -> Medium:
    st = state()
    mid = str(st.next_media_id)
    st.next_media_id += 1
    # Videos are not decoded: their poster is drawn at 720p.
    width, height = (images.image_size(data) if kind != "mp4" else None) or (1280, 720)
    m = Medium(mid, u.customer_id, u.id, image_key(mid), "VIDEO" if kind == "mp4" else "IMAGE", "harddrive",
               None, None, caption, sb.clock.now(), None, width, height, "pending", location=location,
               upload=data, upload_type=kind)
    return st.add_medium(m)


# -- widgets --------------------------------------------------------------------------------------
@bp.get("/widgets/<instance_id>")
def widget(instance_id):
    return ok(hal.widget_instance(g.ctx, owned("WidgetInstance", state().widgets, instance_id)))


@bp.get("/customers/<customer_id>/widgets")
def customer_widgets(customer_id):
    c = get_customer(customer_id)
    st = state()
    ids = [w.id for w in st.widgets.values() if w.customer_id == c.id]
    return entity_collection(f"/customers/{c.id}/widgets", ids, st.widgets, hal.widget_instance,
                             "widgetinstance", with_customer=True)


@bp.get("/widgets/settings/<style_id>")
def widget_style(style_id):
    return ok(hal.widget_style(g.ctx, owned("WidgetStyle", state().widget_styles, style_id)))


@bp.get("/customers/<customer_id>/widgets/settings")
def customer_widget_styles(customer_id):
    c = get_customer(customer_id)
    st = state()
    ids = [w.id for w in st.widget_styles.values() if w.customer_id == c.id]
    return entity_collection(f"/customers/{c.id}/widgets/settings", ids, st.widget_styles, hal.widget_style,
                             "widget")

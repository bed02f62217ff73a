"""Entities to the reference's HAL JSON, one function per entity type.

Hrefs to the API are protocol-relative on the request's own host and carry auth_token and version;
form actions carry no query string; image URLs are absolute and need no key.
"""
import zlib
from dataclasses import dataclass
from urllib.parse import urlencode

from ..common.app import media_origin
from ..common.clock import iso
from .errors import VERSION
from .store import Category, Customer, Medium, Stream, User, WidgetInstance, WidgetStyle

MEDIA_SORTS = ("recent", "shuffled", "photorank", "rated")
RENDITIONS = ("square", "thumbnail", "mobile", "normal", "original")
_ANALYTICS_META = ["user_agent", "event_type", "is_mobile"]


@dataclass(slots=True)
class MediaOptions:
    """The query flags that shape embedded objects of media."""
    include_tagged: bool = True
    include_inactive: bool = False
    streams: bool = True
    categories: bool = True


SHARDS = 4  # z1…z4photorankapi-a.akamaihd.net
FORMS_HOST = "rest.photorank.me"


class Ctx:
    """What rendering needs from one request: the state, the host and the key, plus a memo.

    `real`: the real API's shapes (null for empty lists, numbers as strings). `shards`: hrefs on
    Olapic's shard hosts instead of the request's host, as the real API's are."""

    def __init__(self, state, host: str, token: str, real: bool = True, shards: bool = False):
        self.state = state
        self.host = host
        self.media = media_origin()  # where browsers fetch the files (--media-url), else this host
        self.real, self.shards = real, shards
        self._auth = urlencode({"auth_token": token, "version": VERSION})
        # A page of media embeds the same streams and uploaders again and again: build each once.
        self._memo = {}

    def _api_host(self, path: str) -> str:
        if not self.shards:
            return self.host
        return f"z{zlib.crc32(path.encode()) % SHARDS + 1}photorankapi-a.akamaihd.net"  # stable per path

    def href(self, path: str, **params) -> str:
        if params:
            return f"//{self._api_host(path)}{path}?{urlencode(params)}&{self._auth}"
        return f"//{self._api_host(path)}{path}?{self._auth}"

    def items(self, items: list):
        """A collection's items: the real API answers null for none (DevKit's *WithoutData fixtures)."""
        return items if items or not self.real else None

    def number(self, value):
        """A number as the real API often sends it, as a string."""
        return str(value) if self.real else value

    def memo(self, key: tuple, build):
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def action(self, path: str) -> str:
        return f"//{FORMS_HOST if self.shards else self.host}{path}"

    def file_url(self, key: str, name: str) -> str:
        return f"{self.media}/media/{key[0]}/{key[1]}/{key[2]}/{key}/{name}"


def _self(ctx: Ctx, path: str) -> dict:
    return {"self": {"href": ctx.href(path)}}


def _stub(ctx: Ctx, path: str, entity_id: str) -> dict:
    return {"_links": _self(ctx, path), "id": entity_id, "_fixed": False}


def _analytics(oid: str, kind: str) -> dict:
    return {"oid": oid, "t": kind, "meta": list(_ANALYTICS_META)}


def _field(type_: str, prompt: str, name: str, placeholder: str = "", value: str = "") -> dict:
    return {"type": type_, "prompt": prompt, "name": name, "value": value, "placeholder": placeholder}


def _form(ctx: Ctx, title: str, path: str, method: str, fields: list) -> dict:
    return {"title": title, "action": {"href": ctx.action(path)}, "method": method, "fields": fields}


def _media_links(ctx: Ctx, base: str, sorts, fixed: bool | None = None) -> dict:
    out = {}
    for sort in sorts:
        out[f"media:{sort}"] = {"_links": _self(ctx, f"{base}/media/{sort}")}
        if fixed is not None:
            out[f"media:{sort}"]["_fixed"] = fixed
    return out


# -- customer -------------------------------------------------------------------------------------
_CUSTOMER_SETTINGS = {
    "force_viewer_modal": False, "column_number": "3", "items_per_page": 10,
    "uploader_actions": "listSources,labeling,login,finish", "show_in_home": False, "show_in_home_id": "0",
    "force_https": False, "ab_testing": 0, "olapicU": "disabled",
    "customer_dependant": {"photos": "default", "facebook": "facebook2", "viewer": "viewer2", "widget": "default",
                           "admin": "default", "social": "default", "profile": "default", "default": "default",
                           "bo": "default", "signup": "default", "api": "default", "developers": "default",
                           "editor": "default", "slideshow": "default"},
    "premoderation": True, "tagging": False, "analytics_api_version": "v1",
    "analytics_dashboard_engagement": False, "analytics_conversion_interval": "30-minutes", "currency": "$",
    "analytics_enterprise_analytics": False,
}


def customer(ctx: Ctx, c: Customer) -> dict:
    base = f"/customers/{c.id}"
    settings = dict(_CUSTOMER_SETTINGS)
    settings["customer_dependant"] = dict(settings["customer_dependant"])
    settings["analytics_cookie_domain"] = f".{c.domain}"
    settings["analytics_checkout_file_prefix"] = f"{c.name.lower()}_checkout"
    embedded = {"user": _stub(ctx, f"/users/{c.owner_user_id}", c.owner_user_id),
                "media": {"_links": _self(ctx, f"{base}/media/recent"), "_fixed": False}}
    embedded.update(_media_links(ctx, base, MEDIA_SORTS, fixed=False))
    return {
        "_links": _self(ctx, base), "id": c.id, "_fixed": True, "name": c.name, "domain": c.domain,
        "template_dir": c.name.lower(), "language": "en_US", "settings": settings,
        "views": {"viewer": "viewer2"},
        "_embedded": embedded,
        "_forms": {
            "streams:search": _form(ctx, "Search a stream by product ID", f"{base}/streams/search", "GET",
                                    [_field("text", "Product ID", "tag_key", "acme-anvil-50lb")]),
            "categories:search": _form(ctx, "Search a category by key", f"{base}/categories/search", "GET",
                                       [_field("text", "Tag", "tag_key", "anvils")]),
            "stashes:create": _form(ctx, "Stash a file", "/stashes", "POST", [_field("file", "File", "file")]),
            "users:create": _form(ctx, "Create a user", "/users", "POST", [
                _field("text", "Email", "email", "you@example.com"),
                _field("text", "Screen name", "screen_name", "Your name"),
                _field("text", "Avatar URL", "avatar_url", "https://example.com/avatar.jpg")]),
        },
    }


# -- user -----------------------------------------------------------------------------------------
def user(ctx: Ctx, u: User, media_path: str | None = None) -> dict:
    return {
        "_links": _self(ctx, f"/users/{u.id}"), "id": u.id, "_fixed": True, "name": u.name,
        "avatar_url": u.avatar_url or f"{ctx.media}/avatars/{u.id}.jpg", "language": "en_US",
        "username": u.username,
        # The reference shows an empty array, not an object, when there is no connection.
        "social_connections": {k: dict(v) for k, v in u.social.items()} or [],
        "_embedded": {"media:recent": {"_links": _self(ctx, media_path or f"/users/{u.id}/media/recent")}},
        "_forms": {"media:upload": _form(ctx, "Upload a media", f"/users/{u.id}/media", "POST", [
            _field("text", "Caption", "caption", "Say something about it"),
            _field("text", "URL", "url", "/stashes/{stash_id}")])},
    }


# -- media ----------------------------------------------------------------------------------------
def _medium_fields(ctx: Ctx, m: Medium) -> dict:
    video = ctx.file_url(m.key, "video.mp4") if m.type == "VIDEO" else None
    return {
        "_links": _self(ctx, f"/media/{m.id}"), "id": m.id, "_fixed": True, "type": m.type, "source": m.source,
        "source_id": m.source_id, "original_source": m.original_source, "caption": m.caption,
        "video_url": video, "share_url": share_url(ctx, m),
        "date_submitted": iso(m.date_submitted),
        "date_published": iso(m.date_published) if m.date_published is not None else None,
        "favorite": False,
        "location": {"latitude": m.location[0], "longitude": m.location[1]} if m.location else None,
        "sonar_place": None, "original_image_width": str(m.width), "original_image_height": str(m.height),
        "status": m.status, "likes": ctx.number(m.likes), "request_id": None,
        "images": {r: ctx.file_url(m.key, f"{r}.jpg") for r in RENDITIONS},
    }


def share_url(ctx: Ctx, m: Medium) -> str:
    for sid in m.stream_ids:
        url = ctx.state.streams[sid].product_url
        if url:
            return f"{url}#opi{m.id}"
    return f"https://{ctx.state.customers[m.customer_id].domain}/gallery#opi{m.id}"


def _report_form(ctx: Ctx, m: Medium) -> dict:
    return {"report": _form(ctx, "Report this media", f"/media/{m.id}/reports", "POST", [
        _field("email", "Email", "email", "you@example.com"),
        _field("short-text", "Reason", "reason", "Why should we take this down?"),
        # The real form's submit field is named "send" (DevKit's media fixture); the reference's "submit".
        _field("submit", "Report", "send" if ctx.real else "submit", value="Report")])}


def visible_streams(ctx: Ctx, m: Medium, include_tagged: bool, include_inactive: bool) -> list[Stream]:
    out = []
    for sid in m.stream_ids:
        s = ctx.state.streams[sid]
        if (s.gallery_status == "TAG" and not include_tagged) or (s.gallery_status == "INACTIVE" and not include_inactive):
            continue
        out.append(s)
    return out


def media_categories(ctx: Ctx, m: Medium) -> list[Category]:
    seen = {}
    for sid in m.stream_ids:
        s = ctx.state.streams[sid]
        if s.gallery_status != "INACTIVE":
            for cid in s.category_ids:
                seen.setdefault(cid, ctx.state.categories[cid])
    return list(seen.values())


def medium(ctx: Ctx, m: Medium, opts: MediaOptions = MediaOptions()) -> dict:
    out = _medium_fields(ctx, m)
    uploader = ctx.state.users[m.uploader_id]
    embedded = {"uploader": ctx.memo(("user", uploader.id), lambda: user(ctx, uploader))}
    if opts.streams:
        streams = visible_streams(ctx, m, opts.include_tagged, opts.include_inactive)
        embedded["streams:all"] = {"_fixed": True, "_links": _self(ctx, f"/media/{m.id}/streams"),
                                   "_embedded": {"stream": [ctx.memo(("stream", s.id), lambda s=s: stream(ctx, s))
                                                            for s in streams]}}
    if opts.categories:
        categories = [ctx.memo(("category", c.id), lambda c=c: category(ctx, c)) for c in media_categories(ctx, m)]
        embedded["categories:all"] = {"_fixed": True, "_links": _self(ctx, f"/media/{m.id}/categories"),
                                      "_embedded": {"category": categories}}
    out["_embedded"] = embedded
    out["_forms"] = _report_form(ctx, m)
    out["_analytics"] = _analytics(m.id, "media")
    return out


def medium_shallow(ctx: Ctx, m: Medium) -> dict:
    """A medium embedded in a stream: its own embedded objects are links only, to stop the recursion."""
    out = _medium_fields(ctx, m)
    out["_embedded"] = {
        "uploader": _stub(ctx, f"/users/{m.uploader_id}", m.uploader_id),
        "streams:all": {"_fixed": False, "_links": _self(ctx, f"/media/{m.id}/streams")},
        "categories:all": {"_fixed": False, "_links": _self(ctx, f"/media/{m.id}/categories")},
    }
    out["_forms"] = _report_form(ctx, m)
    out["_analytics"] = _analytics(m.id, "media")
    return out


# -- stream ---------------------------------------------------------------------------------------
STREAM_SORTS = MEDIA_SORTS + ("media_position",)


def cover_media(ctx: Ctx, s: Stream) -> Medium | None:
    """The stream's first published medium in media_position order."""
    media = ctx.state.media
    for mid in s.positions:
        m = media[mid]
        if m.status == "approved" and m.listed:
            return m
    return None


def stream(ctx: Ctx, s: Stream, full_customer: bool = False) -> dict:
    base = f"/streams/{s.id}"
    c = ctx.state.customers[s.customer_id]
    base_image = ctx.state.media.get(s.base_image_id) if s.base_image_id else None
    cover = cover_media(ctx, s)
    embedded = {
        "customer": customer(ctx, c) if full_customer else _stub(ctx, f"/customers/{c.id}", c.id),
        "base_image": medium_shallow(ctx, base_image) if base_image else None,
        "cover_media": medium_shallow(ctx, cover) if cover else None,
    }
    embedded.update(_media_links(ctx, base, STREAM_SORTS))
    return {
        "_links": _self(ctx, base), "id": s.id, "_fixed": True, "shop_button_url": s.shop_button_url,
        "share_url": s.share_url, "_embedded": embedded, "name": s.name, "description": s.description,
        "tag_based_key": s.tag_key, "product_url": s.product_url,
        "hide_from_related": "false" if ctx.real else False,
        "status": s.product_status, "product_info": dict(s.product_info), "_analytics": _analytics(s.id, "gallery"),
    }


# -- category -------------------------------------------------------------------------------------
def category(ctx: Ctx, c: Category, full_customer: bool = False) -> dict:
    base = f"/categories/{c.id}"
    embedded = {}
    if full_customer:
        embedded["customer"] = customer(ctx, ctx.state.customers[c.customer_id])
    embedded.update(_media_links(ctx, base, MEDIA_SORTS))
    return {
        "_links": _self(ctx, base), "id": c.id, "_fixed": True, "name": c.name, "key": c.key,
        "product_url": c.product_url,
        "settings": {"meta_title": f"{c.name} | Acme", "meta_description": f"Customer photos of Acme {c.name.lower()}",
                     "meta_keywords": c.key, "meta_extras": None},
        "_embedded": embedded,
    }


# -- widgets --------------------------------------------------------------------------------------
def widget_style(ctx: Ctx, w: WidgetStyle) -> dict:
    out = {"_links": _self(ctx, f"/widgets/settings/{w.id}"), "id": w.id, "_fixed": True, "type": w.type,
           "name": w.name}
    out.update(w.fields)
    # Olapic's template for the style; it is not served offline, widgets render their own markup.
    out["views"] = f"//photorank.me/assets/acme/widget2/{w.type}/{w.id}.html"
    out["_analytics"] = _analytics(w.id, "widget")
    return out


def widget_instance(ctx: Ctx, w: WidgetInstance) -> dict:
    return {
        "_links": _self(ctx, f"/widgets/{w.id}"), "id": w.id, "_fixed": True,
        "_embedded": {"customer": customer(ctx, ctx.state.customers[w.customer_id]),
                      "setting": widget_style(ctx, ctx.state.widget_styles[w.style_id])},
        "name": w.name, "type": w.type, "settings": dict(w.settings),
    }


def stash(ctx: Ctx, stash_id: str) -> dict:
    return {"_links": _self(ctx, f"/stashes/{stash_id}"), "id": stash_id, "_fixed": True}

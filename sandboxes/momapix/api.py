"""The MomaPIX REST Service 2.0 endpoints: sessions, items, events, lightboxes, search, downloads, reports."""
import io
import re
import secrets
import zipfile
from datetime import datetime, timezone

from flask import Blueprint, Response, current_app, g, request

from ..common.media import PLACEHOLDER_MP4
from . import images, jsonapi, mql, resources, sessions
from .jsonapi import ApiError, Paging, document, no_content
from .store import SECTIONS, Download, Event, Item, Lightbox, UploadRecord

bp = Blueprint("momapix", __name__)

UNGATED = ("/_files/", "/schemas/")
ITEM_SORTS = ("date", "-date", "relevance", "-relevance")
DOWNLOAD_TTL = 3600  # seconds of sandbox clock a one-time download stays valid
WRITABLE = {"title", "caption", "section", "date", *resources.SERVER_FIELDS}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ALLOWED_HEADERS = "Apikey, Authorization, Content-Type, Accept, Accept-Language"


def sandbox():
    return current_app.extensions["sandbox"]


def state():
    return g.state


# -- the gate every API request passes ----------------------------------------------------------
def gate():
    """Checks in this order: unknown path (404), OPTIONS (no auth), Accept (406), Apikey and bearer (401)."""
    if request.path.startswith(UNGATED):
        g.state = sandbox().state
        return None
    if request.routing_exception is not None:
        return None  # the error handler answers 404/405
    g.state = sandbox().state
    if request.method == "OPTIONS":
        return options()
    jsonapi.check_accept()
    sessions.authenticate(sandbox())
    return None


DESCRIPTIONS = {
    "session": "GET opens (no bearer) or checks and keeps alive (bearer) a session; POST logs in; DELETE logs out.",
    "item": "GET an item; PATCH its attributes (section moves it between public, private and trash); "
            "DELETE it once it is in the trash.",
    "upload": "POST multipart/form-data with the file in userfile, plus server attributes (section, title, "
              "caption, id_event, id_original, reference, byline, product_code).",
    "events": "Events, newest first.",
    "event": "An event and its items.",
    "lightboxes": "The logged-in user's lightboxes, newest first.",
    "lightbox": "A lightbox of the logged-in user and its items.",
    "items": "The items of a lightbox or an event, in the order they were added unless sorted.",
    "relationships": "GET the item identifiers; on a lightbox, POST adds, PATCH replaces, DELETE removes items.",
    "search": "Search with an MQL string in filter.",
    "download": "POST requests a one-time downloadable object; GET /rest/download/<id> fetches it once.",
    "report": "The uploads report, newest first.",
}


def options():
    adapter = current_app.url_map.bind_to_environ(request.environ)
    methods = sorted(set(adapter.allowed_methods()) - {"HEAD", "OPTIONS"})
    endpoint = request.url_rule.endpoint.split(".")[-1]
    kind = current_app.view_functions[request.url_rule.endpoint].__doc__ or ""
    topic = next((t for t in DESCRIPTIONS if f"[{t}]" in kind), "item")
    meta = {"methods": {m: {"schema": jsonapi.link(f"/schemas/{endpoint}.{m.lower()}.json"),
                            "description": DESCRIPTIONS[topic]} for m in methods}}
    if "GET" in methods and topic in ("search", "events", "event", "lightboxes", "lightbox", "items",
                                      "relationships", "report"):
        meta["page"] = {"sizes": list(jsonapi.PAGE_SIZES), "default": jsonapi.DEFAULT_PAGE_SIZE}
    if topic in ("search", "items", "event", "lightbox"):
        meta["sort"] = list(ITEM_SORTS)
        meta["fields"] = {"item": list(resources.ITEM_ALL)}
    if topic == "search":
        meta["mql"] = {"attributes": list(mql.ATTRIBUTES), "fields": [f"@{f}" for f in mql.FIELDS],
                       "whole_archive": "%"}
    allow = ", ".join(methods + ["OPTIONS"])
    return document({"meta": meta}, headers={"Allow": allow, "Access-Control-Allow-Methods": allow,
                                             "Access-Control-Allow-Headers": ALLOWED_HEADERS})


@bp.get("/schemas/<name>.json")
def schema(name):
    return document({"$schema": "http://json-schema.org/draft-07/schema#", "title": name, "type": "object",
                     "required": ["data"], "properties": {"data": {"type": ["object", "array"]}}})


# -- shared reads -------------------------------------------------------------------------------
def logged_in() -> bool:
    return g.session is not None and g.session.username is not None


def readable(it: Item) -> bool:
    """Outside lightboxes: public items for anyone, private ones too once logged in, never the trash."""
    return it.section == "public" or (it.section == "private" and logged_in())


def get_item(item_id: str) -> Item:
    it = state().item(item_id)
    if it is None or not (readable(it) or (it.section == "trash" and logged_in())):
        raise ApiError(404, f"No item {item_id}.")
    return it


def own_lightbox(lightbox_id: str) -> Lightbox:
    session = sessions.require_login()
    lb = state().lightboxes.get(lightbox_id)
    if lb is None or lb.owner != session.username:
        raise ApiError(404, f"No lightbox {lightbox_id}.")
    return lb


def get_event(event_id: str) -> Event:
    e = state().events.get(event_id)
    if e is None:
        raise ApiError(404, f"No event {event_id}.")
    return e


def sorted_items(items: list, default: str | None) -> list:
    """sort=date is newest first and -date oldest first (the document's reverse of JSON:API); relevance
    keeps the collection's own order (a search: the newest ids first)."""
    sort = request.args.get("sort", default)
    if sort is None:
        return items
    if sort not in ITEM_SORTS:
        raise ApiError(400, f"sort must be one of {', '.join(ITEM_SORTS)}.", parameter="sort")
    if sort.lstrip("-") == "date":
        items = sorted(items, key=lambda i: (i.date, i.number), reverse=True)
    return items[::-1] if sort.startswith("-") else items


def collection(seq: list, render, paging: Paging | None = None) -> Response:
    paging = paging or Paging()
    page = paging.slice(seq)
    return document({"meta": paging.meta(len(seq)), "data": [render(x) for x in page],
                     "links": paging.links(len(seq))})


def with_items(resource: dict, items: list, base: str, paging: Paging) -> Response:
    """A lightbox or event with one page of its items: identifiers in relationships, objects in included."""
    page = paging.slice(items)
    query = f"page[number]={paging.number}&page[size]={paging.size}"
    resource["relationships"] = {"items": {
        "links": {"self": jsonapi.link(f"{base}/relationships/items?{query}"),
                  "related": jsonapi.link(f"{base}/items?{query}")},
        "data": [resources.identifier(i) for i in page]}}
    return document({"meta": paging.meta(len(items)), "data": resource, "links": paging.links(len(items)),
                     "included": [resources.item(i) for i in page]})


def today() -> str:
    return datetime.fromtimestamp(sandbox().clock.now(), timezone.utc).strftime("%Y-%m-%d")


def log_upload_action(it: Item, action: str) -> None:
    for record in state().uploads:
        if record.item_id == it.id:
            now = resources.stamp(sandbox().clock.now())
            record.action += f"({now} - {g.session.username}) {action};"


# -- session ------------------------------------------------------------------------------------
def session_document(session) -> Response:
    return document({"data": {"type": "session", "id": session.token,
                              "attributes": sessions.attributes(sandbox(), session)}})


@bp.get("/rest/session")
def session_status():
    """[session]"""
    sb = sandbox()
    if g.session is None:
        return session_document(sessions.allocate(sb))
    with sb.lock:
        g.session.expires = sb.clock.now() + sb.expires_in  # keeps the session alive
    return session_document(g.session)


@bp.post("/rest/session")
def login():
    """[session]"""
    data = jsonapi.body_data("session")
    if not jsonapi.same_id(data.get("id"), g.session.token) and data.get("id") != g.session.token:
        raise ApiError(409, "data.id must be the session's token.", pointer="/data/id")
    attrs = data.get("attributes")
    if not isinstance(attrs, dict) or not isinstance(attrs.get("username"), str) \
            or not isinstance(attrs.get("password"), str):
        raise ApiError(400, "attributes.username and attributes.password are required.", pointer="/data/attributes")
    user = state().users.get(attrs["username"])
    if user is None or not secrets.compare_digest(user.password, attrs["password"]):
        raise ApiError(401, "Wrong username or password.")
    g.session.username = user.username
    return session_document(g.session)


@bp.delete("/rest/session")
def logout():
    """[session]"""
    sb = sandbox()
    with sb.lock:
        g.session.username = None
        sessions.end(g.session, sb.clock.now(), "logged_out")
    return session_document(g.session)


# -- items --------------------------------------------------------------------------------------
@bp.get("/rest/item/<item_id>")
def item(item_id):
    """[item]"""
    return document({"data": resources.item(get_item(item_id))})


@bp.patch("/rest/item/<item_id>")
def patch_item(item_id):
    """[item]"""
    sessions.require_login()
    it = get_item(item_id)
    attrs = jsonapi.patch_attributes("item", it.id)
    for name, value in attrs.items():
        if name in WRITABLE:
            _check_value(name, value)
        elif name in resources.ITEM_ALL:
            raise ApiError(403, f"The attribute {name} cannot be changed.", pointer=f"/data/attributes/{name}")
    sb = sandbox()
    with sb.lock:
        for name, value in attrs.items():
            if name == "section" and value != it.section:
                log_upload_action(it, f"moved to {value}")
                it.section = value
            elif name in ("title", "caption", "date"):
                setattr(it, name, value)
            elif name in resources.SERVER_FIELDS:
                it.extra[name] = value
        it.updated = sb.clock.now()
    return no_content()


def _check_value(name: str, value) -> None:
    pointer = f"/data/attributes/{name}"
    if name == "section" and value not in SECTIONS:
        raise ApiError(400, f"section must be one of {', '.join(SECTIONS)}.", pointer=pointer)
    if name == "date" and not (isinstance(value, str) and _DAY.match(value)):
        raise ApiError(400, "date must be YYYY-MM-DD.", pointer=pointer)
    if name == "title" and not isinstance(value, str):
        raise ApiError(400, "title must be a string.", pointer=pointer)
    if name != "title" and value is not None and not isinstance(value, str):
        raise ApiError(400, f"{name} must be a string or null.", pointer=pointer)


@bp.delete("/rest/item/<item_id>")
def delete_item(item_id):
    """[item]"""
    sessions.require_login()
    it = get_item(item_id)
    if it.section != "trash":
        raise ApiError(403, "An item must be moved to the trash section before it can be deleted.")
    st = state()
    with sandbox().lock:
        log_upload_action(it, "deleted")
        st.remove_item(it)
    return no_content()


@bp.post("/rest/item")
@bp.post("/rest/items")
def upload():
    """[upload]"""
    session = sessions.require_login()
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, 'Send the file as "Content-Type: multipart/form-data".')
    if "boundary" not in request.mimetype_params:
        raise ApiError(400, "The multipart/form-data Content-Type carries no boundary.")
    sent = request.files.get("userfile")
    if sent is None:
        raise ApiError(400, "The file must be sent in the userfile field.", parameter="userfile")
    data = sent.read()
    kind = images.sniff(data)
    size = images.pixel_size(data) if kind and kind[0] == "photo" else (None, None)
    if kind is None or size is None:
        raise ApiError(400, "The file is not an image or a video this archive accepts.", parameter="userfile")
    form = request.form
    section = form.get("section", sandbox().upload_section)
    if section not in SECTIONS:
        raise ApiError(400, f"section must be one of {', '.join(SECTIONS)}.", parameter="section")
    sb, st = sandbox(), state()
    with sb.lock:
        item_id = _new_item_id(form.get("id_original"))
        event = _upload_event(form.get("id_event"), session.username)
        now = sb.clock.now()
        archive, mime, ext = kind
        it = Item(item_id, f"u{secrets.token_hex(8)}", archive, mime,
                  form.get("title") or event.title, form.get("caption") or None, today(), now, event.id,
                  size[0], size[1], section=section, license="RM", file_name=sent.filename or f"{item_id}.{ext}",
                  file_size=len(data), updated=now,
                  extra={k: form[k] for k in resources.SERVER_FIELDS if form.get(k)}, upload=data)
        st.add_item(it)
        st.uploads.append(UploadRecord(str(len(st.uploads) + 2700), it.id, session.username, it.file_name, now,
                                       f"({resources.stamp(now)} - {session.username}) uploaded in {section};"))
    return document({"data": resources.item(it, {"all"}), "links": {"event": jsonapi.link(f"/rest/event/{event.id}")}})


def _new_item_id(proposed: str | None) -> str:
    st = state()
    if proposed is None:
        st.next_item += 1
        return str(st.next_item - 1)
    if not proposed.isdigit():
        raise ApiError(400, "id_original must be a positive integer.", parameter="id_original")
    if st.item(proposed) is not None:
        raise ApiError(409, f"The id {proposed} is already allocated.", parameter="id_original")
    return str(int(proposed))


def _upload_event(event_id: str | None, username: str) -> Event:
    st = state()
    if event_id is not None:
        if event_id not in st.events:
            raise ApiError(400, f"No event {event_id}.", parameter="id_event")
        return st.events[event_id]
    when = datetime.fromtimestamp(sandbox().clock.now(), timezone.utc)
    st.next_event += 1
    e = Event(str(st.next_event), f"- nuovo servizio caricato da {username} il {when:%d-%m-%Y} 001", today())
    st.events[e.id] = e
    return e


# -- events -------------------------------------------------------------------------------------
def event_items(e: Event) -> list:
    st = state()
    return [st.items[i] for i in e.item_ids if readable(st.items[i])]


@bp.get("/rest/events")
def events():
    """[events]"""
    paging = Paging()
    st = state()
    listed = sorted(st.events.values(), key=lambda e: (e.date, float(e.id)), reverse=True)
    return collection(listed, lambda e: resources.event(e, event_items(e)), paging)


@bp.get("/rest/event/<event_id>")
def event(event_id):
    """[event]"""
    paging = Paging()
    e = get_event(event_id)
    items = sorted_items(event_items(e), None)
    return with_items(resources.event(e, event_items(e)), items, f"/rest/event/{e.id}", paging)


# -- lightboxes ---------------------------------------------------------------------------------
def lightbox_items(lb: Lightbox) -> list:
    """Everything the lightbox holds, whatever its section: the owner sees it all."""
    st = state()
    return [st.items[i] for i in lb.item_ids]


@bp.get("/rest/lightboxes")
def lightboxes():
    """[lightboxes]"""
    paging = Paging()
    session = sessions.require_login()
    st = state()
    mine = sorted((lb for lb in st.lightboxes.values() if lb.owner == session.username),
                  key=lambda lb: lb.created, reverse=True)
    return collection(mine, lambda lb: resources.lightbox(st, lb), paging)


@bp.get("/rest/lightbox/<lightbox_id>")
def lightbox(lightbox_id):
    """[lightbox]"""
    paging = Paging()
    lb = own_lightbox(lightbox_id)
    items = sorted_items(lightbox_items(lb), None)
    return with_items(resources.lightbox(state(), lb), items, f"/rest/lightbox/{lb.id}", paging)


def members(kind: str, owner_id: str) -> list:
    return event_items(get_event(owner_id)) if kind == "event" else lightbox_items(own_lightbox(owner_id))


@bp.get("/rest/<any(event, lightbox):kind>/<owner_id>/items")
def member_items(kind, owner_id):
    """[items]"""
    paging = Paging()
    return collection(sorted_items(members(kind, owner_id), None), resources.item, paging)


@bp.get("/rest/<any(event, lightbox):kind>/<owner_id>/relationships/items")
def member_identifiers(kind, owner_id):
    """[relationships]"""
    paging = Paging()
    return collection(sorted_items(members(kind, owner_id), None), resources.identifier, paging)


def _identified_items(data: list) -> list[str]:
    ids = []
    for n, ref in enumerate(data):
        it = state().item(ref.get("id"))
        if it is None:
            raise ApiError(404, f"No item {ref.get('id')}.", pointer=f"/data/{n}/id")
        ids.append(it.id)
    return ids


@bp.route("/rest/lightbox/<lightbox_id>/relationships/items", methods=["POST", "PATCH", "DELETE"])
def change_lightbox_items(lightbox_id):
    """[relationships]"""
    lb = own_lightbox(lightbox_id)
    ids = _identified_items(jsonapi.body_data("item", many=True))
    with sandbox().lock:
        if request.method == "POST":
            lb.item_ids += [i for i in dict.fromkeys(ids) if i not in lb.item_ids]
        elif request.method == "PATCH":
            lb.item_ids = list(dict.fromkeys(ids))
        else:
            lb.item_ids = [i for i in lb.item_ids if i not in ids]
    return no_content()


@bp.post("/rest/lightbox")
def create_lightbox():
    """[lightbox]"""
    paging = Paging()
    session = sessions.require_login()
    data = jsonapi.body_data("lightbox")
    attrs = data.get("attributes")
    if not isinstance(attrs, dict) or not isinstance(attrs.get("description"), str) or not attrs["description"]:
        raise ApiError(400, "attributes.description is required.", pointer="/data/attributes/description")
    refs = ((data.get("relationships") or {}).get("items") or {}).get("data") or []
    if not isinstance(refs, list) or not all(isinstance(r, dict) for r in refs):
        raise ApiError(400, "relationships.items.data must be an array.", pointer="/data/relationships/items/data")
    ids = _identified_items(refs)
    sb, st = sandbox(), state()
    with sb.lock:
        st.next_lightbox += 1
        lb = Lightbox(str(st.next_lightbox), session.username, attrs["description"], today(), sb.clock.now(),
                      text=attrs.get("text"), item_ids=list(dict.fromkeys(ids)))
        st.lightboxes[lb.id] = lb
    response = with_items(resources.lightbox(st, lb), lightbox_items(lb), f"/rest/lightbox/{lb.id}", paging)
    response.status_code = 201
    response.headers["Location"] = jsonapi.link(f"/rest/lightbox/{lb.id}")
    return response


@bp.patch("/rest/lightbox/<lightbox_id>")
def patch_lightbox(lightbox_id):
    """[lightbox]"""
    lb = own_lightbox(lightbox_id)
    attrs = jsonapi.patch_attributes("lightbox", lb.id)
    with sandbox().lock:
        for name in ("description", "subject_date", "text"):
            if name in attrs:
                setattr(lb, name, attrs[name])
    return no_content()


@bp.delete("/rest/lightbox/<lightbox_id>")
def delete_lightbox(lightbox_id):
    """[lightbox]"""
    lb = own_lightbox(lightbox_id)
    with sandbox().lock:
        del state().lightboxes[lb.id]
    return no_content()


# -- search -------------------------------------------------------------------------------------
def query() -> mql.Query:
    raw = request.args.get("filter")
    if raw is None or not raw.strip():
        raise mql.MQLError("filter is required (blank searches are not allowed)")
    return mql.Query(raw)


def item_doc(it: Item) -> dict:
    return {"id": it.id, "title": it.title, "caption": it.caption, "file_name": it.file_name, **it.extra}


def item_matches(q: mql.Query, it: Item) -> bool:
    return all(test(it) for test in q.attributes.values()) and q.matches(item_doc(it))


@bp.get("/rest/search/items")
def search_items():
    """[search]"""
    paging = Paging()
    q = query()
    found = sorted((it for it in state().items.values() if readable(it) and item_matches(q, it)),
                   key=lambda it: it.number, reverse=True)
    return collection(sorted_items(found, "relevance"), resources.item, paging)


@bp.get("/rest/search/lightboxes")
def search_lightboxes():
    """[search]"""
    paging = Paging()
    session = sessions.require_login()
    q, st = query(), state()

    def hit(lb):
        # "The description of the lightbox will be searched as well", and so are its items.
        if not q.attributes and q.matches({"id": lb.id, "description": lb.description}):
            return True
        return any(readable(it) and item_matches(q, it) for it in lightbox_items(lb))

    found = sorted((lb for lb in st.lightboxes.values() if lb.owner == session.username and hit(lb)),
                   key=lambda lb: lb.created, reverse=True)
    return collection(found, lambda lb: resources.lightbox(st, lb), paging)


@bp.get("/rest/search/events")
def search_events():
    """[search]"""
    paging = Paging()
    q = query()

    def hit(e):
        if not q.attributes and q.matches({"id": e.id, "title": e.title, "text": e.text}):
            return True
        return any(item_matches(q, it) for it in event_items(e))

    found = sorted((e for e in state().events.values() if hit(e)), key=lambda e: (e.date, float(e.id)), reverse=True)
    return collection(found, lambda e: resources.event(e, event_items(e)), paging)


# -- downloads ----------------------------------------------------------------------------------
@bp.post("/rest/download")
def create_download():
    """[download]"""
    sessions.require_login()
    data = jsonapi.body_data("download")
    refs = ((data.get("relationships") or {}).get("items") or {}).get("data")
    if not isinstance(refs, list) or not refs or not all(isinstance(r, dict) for r in refs):
        raise ApiError(400, "relationships.items.data must list the items to download.",
                       pointer="/data/relationships/items/data")
    available, errors = [], []
    for n, ref in enumerate(refs):
        it = state().item(ref.get("id"))
        if it is None or it.section == "trash" or not readable(it):
            errors.append({"status": "404", "title": "Not Found", "detail": f"Item {ref.get('id')} is not available.",
                           "source": {"pointer": f"/data/relationships/items/data/{n}"}})
        else:
            available.append(it.id)
    if not available:
        raise ApiError(403, "None of the requested items is available for download.")
    sb = sandbox()
    with sb.lock:
        dl_id = secrets.token_hex(16)
        expires = sb.clock.now() + DOWNLOAD_TTL
        state().downloads[dl_id] = Download(dl_id, available, expires)
    self_link = jsonapi.link(f"/rest/download/{dl_id}")
    body = {"data": {"type": "download", "id": dl_id,
                     "attributes": {"expirationTime": resources.stamp(expires) + " UTC", "downloadLimit": 1},
                     "links": {"self": self_link}}}
    if errors:
        body["meta"] = {"errors": errors}
    return document(body, 201, {"Location": self_link})


@bp.get("/rest/download/<download_id>")
def fetch_download(download_id):
    """[download]"""
    sb, st = sandbox(), state()
    with sb.lock:
        dl = st.downloads.get(download_id)
        if dl is None:
            raise ApiError(404, f"No download {download_id}.")
        if dl.remaining < 1 or sb.clock.now() >= dl.expires:
            raise ApiError(403, "This download expired or was already used.")
        dl.remaining -= 1
    items = [st.items[i] for i in dl.item_ids if i in st.items]
    if len(items) == 1:
        return _original(items[0], as_attachment=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for it in items:
            z.writestr(it.file_name, _original(it).get_data())
    return Response(out.getvalue(), mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="download-{download_id[:8]}.zip"'})


def _original(it: Item, as_attachment=False) -> Response:
    if it.archive == "photo":
        body, mime = state().renditions.get(it, "original"), "image/jpeg" if it.upload is None else it.mime_type
    elif it.archive == "video":
        body, mime = it.upload or PLACEHOLDER_MP4, "video/mp4"
    else:
        body, mime = f"{it.title}\n".encode(), it.mime_type
    headers = {"Content-Disposition": f'attachment; filename="{it.file_name}"'} if as_attachment else {}
    return Response(body, mimetype=mime, headers=headers)


# -- reports ------------------------------------------------------------------------------------
@bp.get("/rest/report/uploads")
def report_uploads():
    """[report]"""
    paging = Paging()
    sessions.require_login()

    def render(r: UploadRecord):
        return {"type": "report/uploads", "id": r.id,
                "attributes": {"id": r.id, "id_item": r.item_id, "supplier_account": r.account,
                               "file_name": r.file_name, "upload_date": resources.stamp(r.date),
                               "action": r.action, "source_ip": ""}}

    return collection(sorted(state().uploads, key=lambda r: r.date, reverse=True), render, paging)


# -- rendition files (no auth, as the document gives no other way to embed a preview) -----------
FILES = {"thumb_m.jpg": "thumb_m", "thumb_l.jpg": "thumb_l", "stream_m.mp4": "stream_m"}


@bp.get("/_files/<key>/<name>")
def rendition(key, name):
    sb, st = sandbox(), state()
    it = st.by_key.get(key) if name in FILES else None
    if it is None or (name == "stream_m.mp4" and it.archive != "video"):
        raise ApiError(404, "No such file.")
    if sb.url_ttl:
        exp = request.args.get("exp", "")
        sig = request.args.get("sig", "")
        if not exp.isdigit() or not secrets.compare_digest(sig, resources.signature(sb, key, FILES[name], int(exp))):
            raise ApiError(403, "This file URL is not signed.")
        if sb.clock.now() >= int(exp):
            raise ApiError(403, "This file URL has expired.")
    if name == "stream_m.mp4":
        return Response(it.upload or PLACEHOLDER_MP4, mimetype="video/mp4")
    return Response(st.renditions.get(it, FILES[name]), mimetype="image/jpeg")

"""The write endpoints of /api/v1 (contract: docs/api.md, "Uploads and reports").

POST /api/v1/products/<tag_key>/uploads   a shopper's photo: validated, cleaned, stored, queued -> 202
GET  /api/v1/uploads/<id>                 its delivery status
GET  /api/v1/uploads/form                 what the upload form needs to know (limits, terms)
POST /api/v1/media/<id>/reports           a shopper's report, to the medium's own provider; hides it at once
(the /olapic proxy's rewritten report form action goes through the same flow: receive_report)

Uploads go to UPLOAD_PROVIDER (the registry's `uploads`); a report goes to the provider whose id prefix
the medium carries. Both only through the domain's ports: no source is named here.
"""
import hashlib
import logging

import redis
from flask import Blueprint, current_app, jsonify, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from .. import links
from ..api.cors import allow_origins
from ..api.failures import upstream_error
from ..api.params import check_tag_key
from ..errors import ApiError, error_response
from ..extensions import SENTINEL, get_redis, get_registry
from ..media import hiding, observe
from ..media.models import NotFound, UpstreamError
from ..media.registry import UnknownProvider
from . import jobs, store
from .cleaning import Cleaner
from .abuse import check_origin, email_key, init_limiter, limiter, limits, may_hide, no_email
from .fields import CAPTION_MAX, HONEYPOT, NAME_MAX, InvalidFields, clean_fields, clean_report
from .files import FileRejected

log = logging.getLogger(__name__)

FORM_OVERHEAD = 256 * 1024  # bytes of an upload form besides the file: the fields, multipart headers
FORM_FIELD_MAX = 200_000  # bytes of a text field (a caption is at most 8 KB); werkzeug also holds
# parts of a file under it while it parses, 64 KB at a time, so it must stay well above that
FORM_PARTS_MAX = 50  # the form has 7 fields
IDEMPOTENCY_KEY_MAX = 255

bp = Blueprint("uploads", __name__, url_prefix="/api/v1")
bp.url_value_preprocessor(check_tag_key)
bp.before_request(check_origin)


@bp.before_request
def parse_form():
    """Parse a POST's form here, once and whole, before the rate limits read its email: a body that
    cannot be parsed is refused, never read again from a half-consumed stream."""
    if request.method != "POST":
        return
    try:
        request.form, request.files
    except RequestEntityTooLarge:
        raise _too_large() from None


@bp.after_request
def cors(response):
    response = allow_origins(response)
    if request.method == "OPTIONS" and "Access-Control-Allow-Origin" in response.headers:
        response.headers["Access-Control-Allow-Methods"] = "GET, POST"
        response.headers["Access-Control-Allow-Headers"] = "Idempotency-Key, Content-Type"
    return response


def init_app(app):
    """The upload endpoints when a configured provider takes uploads; the report endpoint always
    (a report hides the medium whatever its provider)."""
    # Flask refuses a bigger body before reading it; clean_file then checks the file's own size.
    app.config["MAX_CONTENT_LENGTH"] = app.config["UPLOAD_MAX_BYTES"] + FORM_OVERHEAD
    app.config["MAX_FORM_MEMORY_SIZE"], app.config["MAX_FORM_PARTS"] = FORM_FIELD_MAX, FORM_PARTS_MAX
    app.extensions["upload_cleaner"] = Cleaner.for_config(app.config)
    init_limiter(app)
    app.register_error_handler(RequestEntityTooLarge, _too_large_response)
    app.register_blueprint(bp)


def _too_large_response(exc):
    error = _too_large()
    return error_response(error.status, error.code, error.message, error.field)


def _too_large():
    """What werkzeug refused as too large, named: the whole body (the file), or a field or the parts."""
    config = current_app.config
    if request.content_length is None or request.content_length > config["MAX_CONTENT_LENGTH"]:
        return ApiError(413, "file_too_large", f"The file is larger than {config['UPLOAD_MAX_BYTES']:,} bytes.",
                        "file")
    return ApiError(413, "form_too_large",
                    f"A form field is larger than {FORM_FIELD_MAX:,} bytes, or the form has more than "
                    f"{FORM_PARTS_MAX} parts.")


def _redis_unavailable():
    return ApiError(503, "service_unavailable", "Submissions are paused for a moment. Please try again.",
                    headers={"Retry-After": "5"})


@bp.post("/products/<tag_key:tag_key>/uploads", merge_slashes=False)
@limiter.limit(limits("UPLOAD_LIMITS_PER_IP"))
@limiter.limit(limits("UPLOAD_LIMITS_PER_EMAIL"), key_func=email_key, exempt_when=no_email)
def create_upload(tag_key):
    """Submit a shopper's photo for moderation (multipart form): 202 with the upload's status URL."""
    provider = get_registry().uploads
    if provider is None:
        raise ApiError(404, "not_found", "No configured provider takes uploads.")
    fields, image = _cleaned_form()
    try:
        provider.catalogue.product(tag_key)
    except NotFound:
        raise ApiError(404, "product_not_found", "No such product, or it is not active.") from None
    except UpstreamError:
        pass  # accepted all the same: the delivery job resolves the product once the upstream is back

    config = current_app.config
    queue = jobs.queue(get_redis())
    try:
        upload_id = store.create(
            get_redis(), idempotency=_idempotency(tag_key, fields["email"], image.data), fields=fields,
            image=image, provider=provider.name, tag_key=tag_key, ttl=config["UPLOAD_TTL"],
            enqueue=lambda upload_id, pipe: jobs.enqueue(queue, upload_id, config["UPLOAD_RETRY_DELAYS"], pipe),
        )
        replicas = config["REDIS_WAIT_REPLICAS"]
        if replicas is None:
            replicas = 1 if config["REDIS_URL"].startswith(SENTINEL) else 0
        if replicas and not store.replicated(get_redis(), upload_id, config["UPLOAD_TTL"], replicas,
                                             config["REDIS_TIMEOUT"]):
            raise _redis_unavailable()  # on the primary alone: a failover now could lose it (a retry finds it)
        record = store.load(get_redis(), upload_id)
    except redis.RedisError:
        raise _redis_unavailable() from None
    observe.upload("accepted")
    status_url = links.absolute(url_for("uploads.upload_status", upload_id=upload_id))
    response = jsonify({"upload": store.public(upload_id, record, status_url)})
    response.status_code = 202
    response.headers["Location"] = status_url
    response.headers["Cache-Control"] = "no-store"
    return response


def _cleaned_form():
    """The cleaned fields and image, or one ApiError listing every fault at once."""
    errors, status = [], 400
    try:
        fields = clean_fields(request.form)  # a filled honeypot raises at once, with no details
    except InvalidFields as exc:
        errors += exc.errors
    config = current_app.config
    try:
        image = current_app.extensions["upload_cleaner"].clean(
            request.files.get("file"), max_bytes=config["UPLOAD_MAX_BYTES"], max_pixels=config["UPLOAD_MAX_PIXELS"])
    except FileRejected as exc:
        errors.insert(0, {"field": exc.field, "code": exc.code, "message": exc.message})
        status = exc.status
    if errors:
        observe.upload("rejected")
        first = errors[0]
        raise ApiError(status, first["code"], first["message"], first["field"], errors=errors)
    return fields, image


def _idempotency(tag_key, email, data):
    """The same product, email and Idempotency-Key (or, without one, the same photo) is the same upload."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        key = "content:" + hashlib.sha256(data).hexdigest()
    elif not key or len(key) > IDEMPOTENCY_KEY_MAX or not key.isascii() or not key.isprintable():
        raise ApiError(400, "invalid_parameter",
                       f"Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX} printable ASCII characters.",
                       field="Idempotency-Key")
    else:
        key = "key:" + key
    return store.digest(tag_key, email.lower(), key)


@bp.get("/uploads/<upload_id>")
def upload_status(upload_id):
    """An upload's delivery status: queued, stashed, submitted, or failed with a reason."""
    try:
        record = store.load(get_redis(), upload_id) if store.UPLOAD_ID.fullmatch(upload_id) else None
    except redis.RedisError:
        raise _redis_unavailable() from None
    if record is None:
        raise ApiError(404, "upload_not_found", "No such upload, or it is too old to be shown.")
    response = jsonify({"upload": store.public(upload_id, record, links.absolute(request.path))})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/uploads/form")
def upload_form():
    """What the upload form needs: accepted types, limits, honeypot field, terms URL."""
    config = current_app.config
    return jsonify({"form": {
        "accepted_types": ["image/jpeg", "image/png", "image/webp"],
        "max_bytes": config["UPLOAD_MAX_BYTES"],
        "caption_max": CAPTION_MAX,
        "name_max": NAME_MAX,
        "honeypot": HONEYPOT,
        "terms_url": config["TERMS_URL"] or None,
    }})


def report_limits(view):
    """The report limits, one count whichever door a report comes through (/api/v1 or the proxy)."""
    view = limiter.shared_limit(limits("REPORT_LIMITS_PER_EMAIL"), scope="report-email", key_func=email_key,
                                exempt_when=no_email)(view)
    return limiter.shared_limit(limits("REPORT_LIMITS_PER_IP"), scope="report")(view)


@bp.post("/media/<media_id>/reports")
@report_limits
def report(media_id):
    """Report a medium (email, reason): sent to its provider, and hidden from our answers at once."""
    receive_report(media_id)
    response = jsonify({"report": {"media_id": media_id, "status": "received"}})
    response.status_code = 201
    response.headers["Cache-Control"] = "no-store"
    return response


def receive_report(media_id):
    """Validate a report, send it to the medium's provider and hide the medium; raises ApiError."""
    body = request.get_json(silent=True) if request.is_json else None
    fields = clean_report(body if isinstance(body, dict) else request.form)
    not_found = ApiError(404, "media_not_found", "No such medium, or it is not active.")
    try:
        source = get_registry().for_media(media_id)
    except UnknownProvider:
        raise not_found from None
    bare_id = media_id[len(source.capabilities.id_prefix):]
    if source.submissions is None:
        raise not_found
    try:
        source.submissions.report(bare_id, fields)
    except NotFound:
        raise not_found from None
    except UpstreamError as exc:
        raise upstream_error(exc) from None
    try:
        if may_hide(fields["email"]):
            hiding.hide(get_redis(), media_id, current_app.config["REPORT_HIDE_SECONDS"], fields["reason"])
        else:  # delivered all the same: the provider's moderators decide
            observe.count("reports_not_hidden_total")
            log.warning("reported medium %s is not hidden: this client hid its share today", media_id)
    except redis.RedisError as exc:  # delivered all the same: the provider's moderators have it
        log.warning("Redis unavailable (%s): reported medium %s is not hidden", type(exc).__name__, media_id)

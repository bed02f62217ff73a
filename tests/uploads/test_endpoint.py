"""POST /api/v1/products/<tag_key>/uploads: what is refused, and how, before anything leaves the service."""
import io
import random

import pytest
from PIL import Image

from gallery.uploads import HONEYPOT
from gallery.uploads.files import OUTPUT_MAX_PIXELS
from tests.conftest import free_port

from .conftest import PRODUCT, form, make_app, pending_uploads, photo, submit
from . import corpus
from .corpus import HOSTILE, jpeg


def error_of(response):
    body = response.get_json()
    assert response.headers["Cache-Control"] == "no-store"
    return body["error"]


def test_accepted_upload_answers_202_with_a_status_url(client, app):
    response = submit(client)
    assert response.status_code == 202
    upload = response.get_json()["upload"]
    assert set(upload) == {"id", "status", "status_url"}
    assert upload["status"] == "queued"
    assert response.headers["Location"] == upload["status_url"]
    status = client.get(upload["status_url"])
    assert status.status_code == 200
    assert status.get_json() == {"upload": upload}


def test_nothing_leaves_the_service_before_the_worker_runs(client, sandbox):
    assert submit(client).status_code == 202
    assert pending_uploads(sandbox) == []


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_file_is_refused(client, app, name):
    data, status, code = HOSTILE[name]
    response = submit(client, data, filename="photo.jpg")
    assert response.status_code == status
    error = error_of(response)
    assert (error["code"], error["field"]) == (code, "file")
    assert error["errors"] == [{"field": "file", "code": code, "message": error["message"]}]
    assert app.extensions["redis"].keys("gallery:upload:*") == []


def test_file_above_the_upload_limit_is_413(sandbox, redis_url):
    app = make_app(sandbox, redis_url, UPLOAD_MAX_BYTES=50_000)
    client = app.test_client()
    big = jpeg(Image.frombytes("RGB", (300, 300), random.Random(1).randbytes(300 * 300 * 3)), quality=95)
    assert 50_000 < len(big) < 50_000 + 256 * 1024  # under MAX_CONTENT_LENGTH: clean_file counts it
    response = submit(client, big)
    assert response.status_code == 413
    assert (error_of(response)["code"], error_of(response)["field"]) == ("file_too_large", "file")


def test_body_above_max_content_length_is_413_file_too_large(sandbox, redis_url):
    app = make_app(sandbox, redis_url, UPLOAD_MAX_BYTES=50_000)
    assert app.config["MAX_CONTENT_LENGTH"] == 50_000 + 256 * 1024
    response = submit(app.test_client(), b"\xff\xd8\xff" + bytes(2_000_000))
    assert response.status_code == 413
    error = error_of(response)
    assert (error["code"], error["field"]) == ("file_too_large", "file")


def test_missing_file(client):
    response = submit(client, data=False)
    assert response.status_code == 400
    assert error_of(response)["errors"] == [
        {"field": "file", "code": "missing_field", "message": "Choose a photo to upload."}]


@pytest.mark.parametrize("fields, field, code", [
    ({"consent": None}, "consent", "consent_required"),
    ({"consent": "off"}, "consent", "consent_required"),
    ({"email": None}, "email", "missing_field"),
    ({"email": "jane@"}, "email", "invalid_email"),
    ({"name": ""}, "name", "missing_field"),
])
def test_missing_consent_or_email(client, app, fields, field, code):
    response = submit(client, **fields)
    assert response.status_code == 400
    error = error_of(response)
    assert (error["code"], error["field"]) == (code, field)
    assert app.extensions["redis"].keys("gallery:upload:*") == []


def test_every_fault_is_reported_at_once(client):
    response = submit(client, HOSTILE["svg with script"][0], email=None, consent=None)
    assert response.status_code == 415  # the file's status comes first
    assert [(e["field"], e["code"]) for e in error_of(response)["errors"]] == [
        ("file", "unsupported_file_type"), ("email", "missing_field"), ("consent", "consent_required")]


def test_honeypot(client, app):
    response = submit(client, **{HONEYPOT: "http://spam.example"})
    assert response.status_code == 400
    assert error_of(response) == {"code": "submission_rejected", "message": "This submission was refused."}
    assert app.extensions["redis"].keys("gallery:upload:*") == []


def test_unknown_product(client):
    response = submit(client, product="no-such-product")
    assert response.status_code == 404
    assert error_of(response)["code"] == "product_not_found"


def test_unknown_upload(client):
    response = client.get("/api/v1/uploads/nope")
    assert response.status_code == 404
    assert error_of(response)["code"] == "upload_not_found"


def test_status_never_shows_the_email_or_caption(client):
    upload = submit(client).get_json()["upload"]
    body = client.get(upload["status_url"]).get_data(as_text=True)
    assert "jane@example.com" not in body and "My anvil" not in body


# -- abuse controls -------------------------------------------------------------------------------

def test_rate_limit_per_ip(client, app):
    app.config["UPLOAD_LIMITS_PER_IP"] = "2 per minute"
    for n in range(2):
        assert submit(client, photo(quality=80 + n)).status_code == 202
    response = submit(client, photo(quality=90))
    assert response.status_code == 429
    assert error_of(response)["code"] == "rate_limited"
    assert 1 <= int(response.headers["Retry-After"]) <= 61  # the rest of the one-minute window, rounded up
    # Another client IP has its own allowance.
    other = client.post(f"/api/v1/products/{PRODUCT}/uploads", data=form(photo(quality=91)),
                        environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert other.status_code == 202


def test_rate_limit_per_email_across_ips(client, app):
    app.config["UPLOAD_LIMITS_PER_EMAIL"] = "2 per hour"
    for n, ip in enumerate(["203.0.113.1", "203.0.113.2"]):
        response = client.post(f"/api/v1/products/{PRODUCT}/uploads", data=form(photo(quality=80 + n)),
                               environ_base={"REMOTE_ADDR": ip})
        assert response.status_code == 202
    # The same address, spelled differently, from a third IP.
    response = client.post(f"/api/v1/products/{PRODUCT}/uploads",
                           data=form(photo(quality=90), email="JANE@Example.com"),
                           environ_base={"REMOTE_ADDR": "203.0.113.3"})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert submit(client, photo(quality=91), email="john@example.com").status_code == 202
    # The email is never a key in clear.
    keys = b" ".join(app.extensions["redis"].keys("*")).lower()
    assert b"jane@example.com" not in keys


@pytest.fixture
def shop_app(sandbox, redis_url):
    return make_app(sandbox, redis_url, SANDBOX_MODE=False, CORS_ORIGINS=["https://shop.example"])


def test_cross_site_post_from_another_origin_is_403(shop_app):
    client = shop_app.test_client()
    response = submit(client, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert error_of(response)["code"] == "origin_not_allowed"
    assert shop_app.extensions["redis"].keys("gallery:upload:*") == []


def test_allowed_origin_may_post_and_read_the_answer(shop_app):
    client = shop_app.test_client()
    preflight = client.options(f"/api/v1/products/{PRODUCT}/uploads", headers={
        "Origin": "https://shop.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "idempotency-key"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Idempotency-Key" in preflight.headers["Access-Control-Allow-Headers"]
    response = submit(client, headers={"Origin": "https://shop.example"})
    assert response.status_code == 202
    assert response.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    # Same-origin pages (the service's own) and non-browser clients (no Origin) are not cross-site.
    assert submit(client, photo(quality=81), headers={"Origin": "http://localhost"}).status_code == 202
    assert submit(client, photo(quality=82)).status_code == 202


def test_same_idempotency_key_is_the_same_upload(client, app):
    headers = {"Idempotency-Key": "3b6f0c1e-retry"}
    first = submit(client, headers=headers).get_json()["upload"]
    again = submit(client, headers=headers)
    assert again.status_code == 202
    assert again.get_json()["upload"] == first
    assert len(app.extensions["redis"].keys("gallery:upload:*:file")) == 1
    # Another key is another upload.
    assert submit(client, headers={"Idempotency-Key": "other"}).get_json()["upload"]["id"] != first["id"]


def test_same_photo_and_email_without_a_key_is_the_same_upload(client):
    first = submit(client).get_json()["upload"]
    assert submit(client).get_json()["upload"]["id"] == first["id"]
    assert submit(client, email="john@example.com").get_json()["upload"]["id"] != first["id"]


def test_bad_idempotency_key(client):
    response = submit(client, headers={"Idempotency-Key": "x" * 256})
    assert response.status_code == 400
    assert (error_of(response)["code"], error_of(response)["field"]) == ("invalid_parameter", "Idempotency-Key")


def test_form_settings_for_the_widget(sandbox, redis_url):
    app = make_app(sandbox, redis_url, TERMS_URL="https://shop.example/terms")
    form_settings = app.test_client().get("/api/v1/uploads/form").get_json()["form"]
    assert form_settings == {
        "accepted_types": ["image/jpeg", "image/png", "image/webp"],
        "max_bytes": 20 * 1024 * 1024,
        "caption_max": 2000,
        "name_max": 50,
        "honeypot": "website",
        "terms_url": "https://shop.example/terms",
    }


def test_redis_down_is_a_503_not_a_crash(sandbox):
    from gallery import create_app

    app = create_app({"TESTING": True, "SANDBOX_MODE": True, "OLAPIC_API_URL": sandbox,
                      "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"})
    response = submit(app.test_client())
    assert response.status_code == 503
    assert error_of(response)["code"] == "service_unavailable"
    assert "Retry-After" in response.headers


def test_behind_a_trusted_proxy(sandbox, redis_url):
    """Behind a PaaS router: limits count the shopper's IP; the status URL is on PUBLIC_URL, whatever
    host the request names."""
    app = make_app(sandbox, redis_url, TRUSTED_PROXIES=1, UPLOAD_LIMITS_PER_IP="1 per minute",
                   PUBLIC_URL="https://ugc.shop.example")
    client = app.test_client()
    proxied = {"X-Forwarded-For": "198.51.100.7", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
    response = submit(client, headers=proxied)
    assert response.status_code == 202
    assert response.get_json()["upload"]["status_url"].startswith("https://ugc.shop.example/api/v1/uploads/")
    assert submit(client, photo(quality=81), headers=proxied).status_code == 429
    other_shopper = {**proxied, "X-Forwarded-For": "198.51.100.8"}
    assert submit(client, photo(quality=82), headers=other_shopper).status_code == 202


# -- the cost of cleaning -------------------------------------------------------------------------

def stored_file(app):
    r = app.extensions["redis"]
    [key] = r.keys("gallery:upload:*:file")
    [record] = [k for k in r.keys("gallery:upload:*") if not k.endswith(b":file") and b"upload-key" not in k]
    return r.get(key), r.hget(record, "content_type").decode()


def test_the_49_mp_transparent_webp_is_kept_small(client, app):
    data = corpus.transparent_webp_49mp()
    response = submit(client, data, filename="cutout.webp")
    assert response.status_code == 202, response.get_json()
    kept, content_type = stored_file(app)
    assert content_type == "image/webp"
    assert len(kept) <= len(data)  # before: a 28 MB PNG, above the 20 MB input limit itself
    image = Image.open(io.BytesIO(kept))
    assert image.width * image.height <= OUTPUT_MAX_PIXELS and image.width == image.height
    assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0


def test_a_clean_past_its_memory_limit_is_refused_and_the_worker_is_unharmed(sandbox, redis_url):
    app = make_app(sandbox, redis_url, UPLOAD_CLEAN_MAX_MEMORY=600 * 2**20)
    client = app.test_client()
    response = submit(client, corpus.transparent_webp_49mp())
    assert response.status_code == 400
    assert (error_of(response)["code"], error_of(response)["field"]) == ("image_too_large", "file")
    assert submit(client).status_code == 202  # the next upload is cleaned as usual


def test_a_clean_past_its_cpu_limit_is_refused(sandbox, redis_url):
    app = make_app(sandbox, redis_url, UPLOAD_CLEAN_MAX_CPU_SECONDS=1)
    client = app.test_client()
    response = submit(client, corpus.transparent_webp_49mp())
    assert response.status_code == 400
    assert error_of(response)["code"] == "image_too_large" and "too long" in error_of(response)["message"]
    assert submit(client).status_code == 202  # a new cleaning process took the killed one's place


def test_cleans_at_once_per_process_are_capped(sandbox, redis_url):
    app = make_app(sandbox, redis_url, UPLOAD_CLEAN_CONCURRENCY=1, UPLOAD_CLEAN_WAIT=0.1)
    cleaner = app.extensions["upload_cleaner"]
    cleaner._slots.acquire()  # another upload being cleaned
    try:
        response = submit(app.test_client())
    finally:
        cleaner._slots.release()
    assert response.status_code == 503
    assert error_of(response)["code"] == "busy" and response.headers["Retry-After"]
    assert app.extensions["redis"].keys("gallery:upload:*") == []
    assert submit(app.test_client()).status_code == 202


# -- body shapes: one parse, refused whole, and the per-email limit always counted -------------------

def test_a_600_kb_field_is_413_naming_it(client, app):
    response = submit(client, caption="x" * 600_000)
    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "form_too_large" and "form field" in error["message"]
    assert app.extensions["redis"].keys("gallery:upload:*") == []


def test_too_many_parts_is_413_naming_them(client, app):
    values = {**form(), **{f"extra{n}": "x" for n in range(100)}}
    response = client.post(f"/api/v1/products/{PRODUCT}/uploads", data=values, content_type="multipart/form-data")
    assert response.status_code == 413
    assert error_of(response)["code"] == "form_too_large" and "parts" in error_of(response)["message"]


@pytest.mark.parametrize("shape", [
    {"caption": "x" * 600_000},  # once skipped the limit (and dropped fields)
    {"email": "JANE@EXAMPLE.COM"},
    {"email": " jane@example.com "},
    {"email": "jane@EXAMPLE.com", "website": None},
])
def test_the_per_email_limit_cannot_be_skipped(client, app, shape):
    app.config["UPLOAD_LIMITS_PER_EMAIL"] = "1 per hour"
    assert submit(client).status_code == 202
    response = client.post(f"/api/v1/products/{PRODUCT}/uploads", data=form(photo(quality=70), **shape),
                           content_type="multipart/form-data", environ_base={"REMOTE_ADDR": "203.0.113.50"})
    assert response.status_code in (413, 429), response.get_json()
    assert len(app.extensions["redis"].keys("gallery:upload:*:file")) == 1


def test_the_per_email_limit_knows_an_address_in_punycode(client, app):
    app.config["UPLOAD_LIMITS_PER_EMAIL"] = "1 per hour"
    assert submit(client, email="jane@bücher.example").status_code == 202
    response = submit(client, photo(quality=70), email="jane@xn--bcher-kva.example")
    assert response.status_code == 429

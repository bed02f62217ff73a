"""`flask gallery approve`: a shopper's photo, delivered to the sandbox's review, approved as a moderator
would, and in the gallery at once (the cached and memoised answer forgotten)."""
from tests.conftest import make_app as base_make_app

from .conftest import PRODUCT, pending_uploads, run_worker, submit

GALLERY = f"/api/v1/products/{PRODUCT}/media"


def ids(client):
    response = client.get(GALLERY, query_string={"sort": "recent"})
    assert response.status_code == 200
    return [m["id"] for m in response.json["media"]]


def test_approve_puts_the_shoppers_photo_in_the_gallery_at_once(app, client, sandbox):
    shown = ids(client)  # cached and memoised from here
    upload = submit(client)
    assert upload.status_code == 202, upload.json
    upload_id = upload.json["upload"]["id"]
    record = run_worker(app, [upload_id])[upload_id]
    assert record["status"] == "submitted"
    assert [m["id"] for m in pending_uploads(sandbox)] == [record["media_id"]]
    assert ids(client) == shown  # waiting for review: not on the page

    result = app.test_cli_runner().invoke(args=["gallery", "approve"])
    assert result.exit_code == 0, result.output
    assert "Approved 1 uploads; refreshed 1 galleries." in result.output
    assert pending_uploads(sandbox) == []
    assert ids(client) == [record["media_id"], *shown]  # the newest, without waiting out any max-age

    again = app.test_cli_runner().invoke(args=["gallery", "approve"])
    assert "Approved 0 uploads" in again.output


def test_approve_is_for_sandbox_mode_only(sandbox, redis_url):
    app = base_make_app(sandbox, redis_url, SANDBOX_MODE=False)
    result = app.test_cli_runner().invoke(args=["gallery", "approve"])
    assert result.exit_code == 2
    assert "sandbox mode only" in result.output

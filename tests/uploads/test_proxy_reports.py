"""A medium's report form, as Olapic clients POST it to its rewritten action (/olapic/media/<id>/reports):
our own report flow, with the same validation, rate limits and immediate hiding as /api/v1 reports,
answered in Olapic's envelope."""
from urllib.parse import urlsplit

import requests

from .conftest import PRODUCT

# What a real client sends (the report form's fields, and the parameters clients add to every call).
FORM = {"email": "shopper@example.com", "reason": "Not my anvil, and rude.", "send": "Report"}
QUERY = {"auth_token": "a-key-of-their-own", "wrap_responses": "1", "version": "v2.2"}


def gallery_ids(client):
    return [m["id"] for m in client.get(f"/api/v1/products/{PRODUCT}/media?limit=100").get_json()["media"]]


def report_action(client, media_id):
    """The report form's action as the proxy rewrote it, as a path for the test client."""
    form = client.get(f"/olapic/media/{media_id}").get_json()["data"]["_forms"]["report"]
    assert form["method"] == "POST"
    assert [f["name"] for f in form["fields"]] == ["email", "reason", "send"]
    href = form["action"]["href"]
    assert href == f"//localhost/olapic/media/{media_id}/reports"
    return urlsplit(href).path


def upstream_posts(sandbox):
    log = requests.get(sandbox + "/_sandbox/requests", params={"path_prefix": "/media"}, timeout=10).json()
    return [r for r in log["requests"] if r["method"] == "POST"]


def test_the_report_form_goes_through_our_report_flow(client, sandbox):
    ids = gallery_ids(client)
    reported = ids[0]
    response = client.post(report_action(client, reported), query_string=QUERY, data=FORM)
    assert response.status_code == 201
    body = response.get_json()
    assert body["metadata"] == {"code": 201, "message": "Created", "version": "v2.2"}
    assert body["data"] == {"media_id": reported, "status": "received"}
    assert response.headers["Cache-Control"] == "no-store"
    # Forwarded by us (our key, our version), and hidden at once from every answer of ours.
    [post] = upstream_posts(sandbox)
    assert post["path"] == f"/media/{reported}/reports" and post["query"]["auth_token"] == "[redacted]"
    queue = requests.get(sandbox + "/_sandbox/moderation", timeout=10).json()["media"]
    assert [m["status"] for m in queue if m["id"] == reported] == ["reported"]
    assert gallery_ids(client) == [i for i in ids if i != reported]
    assert client.get(f"/olapic/media/{reported}").status_code == 200  # the passthrough shows the upstream
    assert client.get(f"/api/v1/media/{reported}").status_code == 404


def test_an_invalid_report_is_refused_in_olapic_s_envelope(client, sandbox):
    path = report_action(client, "3042079992")
    wrapped = client.post(path, query_string=QUERY, data={"email": "shopper@example.com", "send": "Report"})
    assert wrapped.status_code == 200  # wrap_responses=1: the real code is in metadata
    body = wrapped.get_json()
    assert body["metadata"] == {"code": 400, "message": "Bad Request", "version": "v2.2"}
    assert (body["data"]["field"], body["data"]["code"]) == ("reason", "missing_field")
    assert body["data"]["message"]
    plain = client.post(path, data={"reason": "spam"})
    assert plain.status_code == 400 and plain.get_json()["data"]["field"] == "email"
    assert upstream_posts(sandbox) == []
    unknown = client.post("/olapic/media/999999999/reports", data=FORM)
    assert unknown.status_code == 404 and unknown.get_json()["data"]["code"] == "media_not_found"


def test_both_doors_share_the_report_limits(app, client):
    app.config["REPORT_LIMITS_PER_IP"] = "1 per hour"
    ids = gallery_ids(client)
    assert client.post(f"/api/v1/media/{ids[0]}/reports", data=FORM).status_code == 201
    response = client.post(f"/olapic/media/{ids[1]}/reports", query_string=QUERY, data=FORM)
    assert response.status_code == 200 and response.get_json()["metadata"]["code"] == 429
    assert response.get_json()["data"]["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) > 0
    assert ids[1] in gallery_ids(client)  # refused, so not hidden


def test_a_cross_site_report_form_from_another_origin_is_refused(app, client):
    app.config["CORS_ORIGINS"] = ["https://shop.example"]
    response = client.post("/olapic/media/3042079992/reports", data=FORM, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403 and response.get_json()["data"]["code"] == "origin_not_allowed"

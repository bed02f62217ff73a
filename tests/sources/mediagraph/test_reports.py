"""Reports on Mediagraph media: hidden here at once, logged and counted (Mediagraph has no report
endpoint), and with MEDIAGRAPH_REPORT_COMMENTS a comment on the product collection for its reviewers."""
import logging

from gallery.media import observe

from .conftest import app_for, operator


def test_a_report_hides_logs_counts_and_comments(mediagraph, redis_url, mg_catalogue, caplog):
    caplog.set_level(logging.INFO)
    client = app_for(mediagraph, redis_url, MEDIAGRAPH_REPORT_COMMENTS=True).test_client()
    path = "/api/v1/products/acme-anvil-50lb/media"
    reported = client.get(path).json["media"][0]["id"]
    before = dict(observe.snapshot()).get("mediagraph_reports_total", 0)
    answer = client.post(f"/api/v1/media/{reported}/reports",
                         json={"email": "shopper@example.com", "reason": "Not <b>my</b> anvil"})
    assert answer.status_code == 201
    assert reported not in [m["id"] for m in client.get(path).json["media"]]
    assert dict(observe.snapshot())["mediagraph_reports_total"] == before + 1
    assert f"reported asset {reported.removeprefix('mg-')}" in caplog.text and "shopper@example.com" not in caplog.text
    (comment,) = operator(mediagraph, "GET", "/comments")["comments"]
    assert comment["what_id"] == int(mg_catalogue["products"]["acme-anvil-50lb"]["id"])
    assert "Not <b>my</b> anvil" in comment["text"] and "shopper@example.com" not in comment["text"]
    assert client.post("/api/v1/media/mg-999999999/reports", json={"email": "s@example.com", "reason": "x"}
                       ).status_code == 404

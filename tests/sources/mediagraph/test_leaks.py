"""No Mediagraph credential in answers, logs or Redis: the token (and its Basic form), the storage
credentials of upload answers (aws_key, ftp_*), the webhook secret in logs."""
import base64
import json
import logging

from tests.support import sandboxes
from tests.support.metrics import total
from tests.uploads.conftest import run_worker, submit

from .conftest import WEBHOOK_SECRET, app_for, operator


def redis_text(r):
    text = ""
    for key in r.scan_iter():
        kind = r.type(key)
        if kind == b"string":
            text += key.decode() + r.get(key).decode("latin-1")
        elif kind == b"hash":
            fields = {k.decode("latin-1"): v.decode("latin-1") for k, v in r.hgetall(key).items()}
            text += key.decode() + json.dumps(fields)
        elif kind in (b"set", b"zset"):
            members = r.smembers(key) if kind == b"set" else r.zrange(key, 0, -1)
            text += key.decode() + " ".join(m.decode("latin-1") for m in members)
        elif kind == b"list":
            text += key.decode() + " ".join(m.decode("latin-1") for m in r.lrange(key, 0, -1))
    return text


def test_credentials_stay_out_of_answers_logs_and_redis(mediagraph, redis_url, mg_catalogue, caplog):
    caplog.set_level(logging.DEBUG)  # urllib3 and requests-cache included
    app = app_for(mediagraph, redis_url)
    client = app.test_client()
    answers = []
    for path in ("/api/v1/products/acme-anvil-50lb", "/api/v1/products/test-520-media/media?limit=100",
                 "/readyz", "/metrics"):
        answers.append(client.get(path))
    media_id = answers[1].json["media"][0]["id"]
    answers.append(client.get(f"/api/v1/media/{media_id}"))
    answers.append(client.post(f"/api/v1/media/{media_id}/reports", json={"email": "s@example.com", "reason": "x"}))
    upload = submit(client).get_json()["upload"]
    done = run_worker(app, [upload["id"]])[upload["id"]]
    answers.append(client.get(f"/api/v1/uploads/{upload['id']}"))
    operator(mediagraph, "POST", f"/moderation/{done['media_id']}/approve")
    answers.append(client.post(f"/webhooks/mediagraph/{WEBHOOK_SECRET}", json={"event": "collection.updated",
                               "collection": {"id": int(mg_catalogue["products"]["acme-anvil-50lb"]["id"])}}))
    for fault in ({"status": 500}, {"status": 429, "headers": {"Retry-After": "2"}}, {"body": "malformed"}):
        sandboxes.fault(mediagraph, path_prefix="/api/assets/search", count=1, **fault)
        answers.append(client.get("/api/v1/products/test-51-media/media"))
        for key in app.extensions["cache_redis"].scan_iter("gallery:failing:*"):  # the next fault reaches Mediagraph
            app.extensions["cache_redis"].delete(key)
        app.extensions["rendered_answers"].forget()
    operator(mediagraph, "POST", "/pat/disable", json={"note": "gone"})
    answers.append(client.get("/api/v1/products/test-11-media/media"))
    answers.append(client.get("/readyz"))
    assert [a.status_code for a in answers[-5:]] == [503, 503, 502, 503, 200]
    assert done["status"] == "submitted" and answers[-6].status_code == 200  # the webhook

    token = mg_catalogue["credentials"]["MEDIAGRAPH_TOKEN"]
    secrets = [token, base64.b64encode(f":{token}".encode()).decode(), *mg_catalogue["upload_secrets"].values()]
    text = "".join(a.get_data(as_text=True) + str(a.headers) for a in answers)
    text += "\n".join(r.getMessage() for r in caplog.records)
    text += redis_text(app.extensions["redis"]) + redis_text(app.extensions["cache_redis"])
    for secret in secrets:
        assert secret not in text
    # The webhook's secret is in its path: our request log and metrics name the route rule instead.
    logged = "\n".join(r.getMessage() for r in caplog.records)
    routes = [json.loads(r.getMessage()).get("route") for r in caplog.records if r.name == "gallery.request"]
    assert "/webhooks/mediagraph/<given>" in routes
    metrics = client.get("/metrics").get_data(as_text=True)
    assert total(metrics, "gallery_http_request_duration_seconds_count", route="/webhooks/mediagraph/<given>") >= 1
    assert WEBHOOK_SECRET not in logged and WEBHOOK_SECRET not in metrics


def test_upload_answers_reach_nobody_with_their_storage_credentials(make_source, mg_catalogue):
    """The transport removes aws_key, bucket and ftp_* from every answer, before any caller sees it."""
    client = make_source().catalogue._client
    answer = client.write("POST", f"/api/contributions/{mg_catalogue['contribution']}/uploads",
                          json={"upload": {"name": "acme-anvil-50lb", "note": "leak test"}})
    assert answer.status == 200 and answer.json["guid"]
    assert not {"aws_key", "bucket", "ftp_username", "ftp_password", "ftp_url"} & set(answer.json)
    for secret in mg_catalogue["upload_secrets"].values():
        assert secret not in json.dumps(answer.json)

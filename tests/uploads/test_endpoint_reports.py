"""POST /api/v1/media/<id>/reports: forwarded to the sandbox, and the medium hidden at once."""
import pytest
import redis
import requests

from gallery import create_app
from gallery.media import hiding as reports
from gallery.extensions import get_registry
from tests.conftest import free_port

from .conftest import PRODUCT

REPORT = {"email": "shopper@example.com", "reason": "Not my anvil, and rude."}


def gallery_ids(client):
    return [m["id"] for m in client.get(f"/api/v1/products/{PRODUCT}/media?limit=100").get_json()["media"]]


def test_report_hides_the_medium_at_once(app, client, sandbox):
    ids = gallery_ids(client)  # now cached, for the sandbox's 600 seconds
    reported = ids[0]
    assert client.get(f"/api/v1/media/{reported}").status_code == 200

    response = client.post(f"/api/v1/media/{reported}/reports", data=REPORT)
    assert response.status_code == 201
    assert response.get_json() == {"report": {"media_id": reported, "status": "received"}}

    # Forwarded: the sandbox moved it to its moderation queue.
    queue = requests.get(sandbox + "/_sandbox/moderation", timeout=10).json()["media"]
    assert [m["status"] for m in queue if m["id"] == reported] == ["reported"]
    # Hidden at once, although our cache still holds the lists and the medium.
    assert gallery_ids(client) == [i for i in ids if i != reported]
    hidden = client.get(f"/api/v1/media/{reported}")
    assert hidden.status_code == 404
    assert hidden.get_json()["error"]["code"] == "media_not_found"
    brand = client.get("/api/v1/media?limit=100").get_json()["media"]
    assert reported not in [m["id"] for m in brand]


def test_hidden_for_every_worker(app, client, sandbox, redis_url):
    reported = gallery_ids(client)[0]
    assert client.post(f"/api/v1/media/{reported}/reports", json=REPORT).status_code == 201
    # Another app, as in another worker process: it shares only Redis (and the upstream) with the first.
    second = create_app({"TESTING": True, "SANDBOX_MODE": True, "OLAPIC_API_URL": sandbox, "REDIS_URL": redis_url})
    assert reported not in gallery_ids(second.test_client())


@pytest.mark.parametrize("body, field, code", [
    ({"reason": "spam"}, "email", "missing_field"),
    ({"email": "nope", "reason": "spam"}, "email", "invalid_email"),
    ({"email": "a@example.com"}, "reason", "missing_field"),
    ({"email": "a@example.com", "reason": "x" * 501}, "reason", "too_long"),
])
def test_report_is_validated(client, sandbox, body, field, code):
    response = client.post("/api/v1/media/3042079992/reports", data=body)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert (error["field"], error["code"]) == (field, code)
    assert requests.get(sandbox + "/_sandbox/requests", params={"path_prefix": "/media"}, timeout=10).json()[
        "requests"] == []


def test_report_of_an_unknown_medium(client):
    for media_id in ("999999999", "not-a-number"):
        response = client.post(f"/api/v1/media/{media_id}/reports", data=REPORT)
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "media_not_found"


def test_reports_are_rate_limited(app, client):
    app.config["REPORT_LIMITS_PER_IP"] = "1 per hour"
    ids = gallery_ids(client)
    assert client.post(f"/api/v1/media/{ids[0]}/reports", data=REPORT).status_code == 201
    response = client.post(f"/api/v1/media/{ids[1]}/reports", data=REPORT)
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) > 0
    assert ids[1] in gallery_ids(client)  # refused, so not hidden


def test_upstream_down_is_503_and_hides_nothing(app, client, sandbox):
    ids = gallery_ids(client)
    requests.post(sandbox + "/_sandbox/faults", json={"path_prefix": "/media/", "status": 503}, timeout=10)
    response = client.post(f"/api/v1/media/{ids[0]}/reports", data=REPORT)
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "upstream_unavailable"
    assert "Retry-After" in response.headers
    assert ids[0] in gallery_ids(client)


def test_filter_fails_open_when_redis_is_down(app):
    """Serving media is worth more than hiding reports for the length of a Redis outage."""
    down = redis.Redis.from_url(f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=0.2)
    assert reports.hidden(down, ["1", "2"]) == set()
    with app.app_context():
        source = reports.HidingReported(get_registry().default.catalogue._source, down)
        assert source.product_media(PRODUCT, "recent", 5, {}).items


def test_one_client_hides_only_its_daily_share(app, client, sandbox):
    """Six reports once emptied a gallery. Each still reaches Olapic's moderators, but past
    REPORT_HIDES_PER_CLIENT they hide nothing."""
    ids = gallery_ids(client)
    assert len(ids) == 6
    for media_id in ids:
        response = client.post(f"/api/v1/media/{media_id}/reports", data=REPORT)
        assert response.status_code == 201  # received, whatever it hides
    assert gallery_ids(client) == ids[3:]  # 3 per day, the default
    queue = requests.get(sandbox + "/_sandbox/moderation", timeout=10).json()["media"]
    assert {m["id"] for m in queue if m["status"] == "reported"} == set(ids)  # every one forwarded


def test_the_share_counts_per_ip_and_per_email(app, client):
    app.config["REPORT_HIDES_PER_CLIENT"] = "1 per day"
    ids = gallery_ids(client)
    assert client.post(f"/api/v1/media/{ids[0]}/reports", data=REPORT).status_code == 201
    other_ip = {"REMOTE_ADDR": "203.0.113.20"}
    client.post(f"/api/v1/media/{ids[1]}/reports", data=REPORT, environ_base=other_ip)  # same email
    client.post(f"/api/v1/media/{ids[2]}/reports", data={**REPORT, "email": "other@example.com"})  # same IP
    assert gallery_ids(client) == ids[1:]
    client.post(f"/api/v1/media/{ids[3]}/reports", data={**REPORT, "email": "other@example.com"},
                environ_base=other_ip)  # a new IP and a new email: a new client
    assert gallery_ids(client) == [ids[1], ids[2], *ids[4:]]


def test_an_operator_lists_and_restores_hidden_media(app, client):
    ids = gallery_ids(client)
    client.post(f"/api/v1/media/{ids[0]}/reports", data=REPORT)
    client.post(f"/api/v1/media/{ids[1]}/reports", data={**REPORT, "reason": "Off topic"})
    runner = app.test_cli_runner()

    listed = runner.invoke(args=["gallery", "hidden"])
    assert listed.exit_code == 0
    lines = listed.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == [ids[0], ids[1]]
    assert lines[1].endswith("\tOff topic") and "168.0 h left" in lines[1]
    assert "shopper@example.com" not in listed.output

    restored = runner.invoke(args=["gallery", "restore", ids[0]])
    assert restored.exit_code == 0 and "Restored 1 media." in restored.output
    assert ids[0] in gallery_ids(client)  # at once, though the answer without it was memoised
    assert [line.split("\t")[0] for line in runner.invoke(args=["gallery", "hidden"]).stdout.splitlines()] == [ids[1]]

    again = runner.invoke(args=["gallery", "restore", ids[0], "123"])
    assert again.exit_code == 1 and "123: was not hidden" in again.output

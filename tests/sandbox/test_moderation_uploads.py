"""Uploads (stash + url, direct multipart), the moderation queue, reports."""
import re

import pytest

from .helpers import (
    KEY,
    VERSION,
    assert_envelope,
    assert_error,
    fixture_key,
    make_image,
    path_of,
    query_of,
)

INACTIVE_MEDIA = "The requested entity Media with the id {} is inactive."


@pytest.fixture
def sid(catalogue):
    return catalogue["streams"][fixture_key(21)]["id"]


def queue_ids(api):
    return {m["id"]: m["status"] for m in api.moderation()}


def test_stash(api):
    resp = api.stash()
    data = assert_envelope(resp)["data"]
    assert data["_fixed"] is True
    assert re.fullmatch(r"[A-Za-z0-9]+", data["id"])
    href = data["_links"]["self"]["href"]
    assert href.startswith(f"//{api.host}/stashes/{data['id']}?")
    assert query_of(href) == {"auth_token": KEY, "version": VERSION}


def test_create_user(api):
    user = api.create_user(email="new.fan@example.com", screen_name="New Fan")
    assert re.fullmatch(r"\d+", user["id"])
    assert path_of(user["_links"]["self"]["href"]) == f"/users/{user['id']}"
    fetched = api.ok(f"/users/{user['id']}")
    assert fetched["id"] == user["id"]
    assert fetched["social_connections"] == []


def test_upload_via_stash_is_pending_and_invisible(api, sid):
    before = api.walk_ids(f"/streams/{sid}/media/recent", count=50)
    medium = api.upload(stream_id=sid, caption="Pending <b>anvil</b> \U0001F525")
    assert medium["status"] == "pending"
    assert medium["caption"] == "Pending <b>anvil</b> \U0001F525"
    assert path_of(medium["_links"]["self"]["href"]) == f"/media/{medium['id']}"
    assert_error(api(f"/media/{medium['id']}"), 404, INACTIVE_MEDIA.format(medium["id"]))
    assert api.walk_ids(f"/streams/{sid}/media/recent", count=50) == before
    assert medium["id"] not in api.walk_ids(f"/users/{medium['_embedded']['uploader']['id']}/media/recent")
    queue = queue_ids(api)
    assert queue.get(medium["id"]) == "pending"


def test_approve_makes_it_visible(api, sid):
    medium = api.upload(stream_id=sid, caption="Approve me")
    api.approve(medium["id"])
    assert medium["id"] not in queue_ids(api)
    fetched = api.ok(f"/media/{medium['id']}")
    assert fetched["status"] == "approved"
    assert fetched["caption"] == "Approve me"
    assert sid in [s["id"] for s in fetched["_embedded"]["streams:all"]["_embedded"]["stream"]]
    assert fetched["date_published"] is not None
    ids = api.walk_ids(f"/streams/{sid}/media/recent", count=50)
    assert ids.count(medium["id"]) == 1 and len(ids) == 22
    user_id = fetched["_embedded"]["uploader"]["id"]
    assert medium["id"] in api.walk_ids(f"/users/{user_id}/media/recent")


def test_reject_keeps_it_invisible(api, sid):
    medium = api.upload(stream_id=sid)
    api.reject(medium["id"])
    assert medium["id"] not in queue_ids(api)
    assert_error(api(f"/media/{medium['id']}"), 404, INACTIVE_MEDIA.format(medium["id"]))
    assert medium["id"] not in api.walk_ids(f"/streams/{sid}/media/recent", count=50)


def test_report_removes_a_published_medium(api, sid):
    victim = api.ok(f"/streams/{sid}/media/recent")["_embedded"]["media"][0]["id"]
    resp = api.post(f"/media/{victim}/reports", data={"email": "angry@example.com", "reason": "Not an anvil"})
    assert resp.status_code == 201, resp.text[:300]
    assert resp.json()["metadata"] == {"code": 201, "message": "Created", "version": "v2.2"}
    assert_error(api(f"/media/{victim}"), 404, INACTIVE_MEDIA.format(victim))
    ids = api.walk_ids(f"/streams/{sid}/media/recent", count=50)
    assert victim not in ids and len(ids) == 20
    assert queue_ids(api).get(victim) == "reported"
    # an operator who approves it again puts it back
    api.approve(victim)
    assert api.ok(f"/media/{victim}")["status"] == "approved"
    assert len(api.walk_ids(f"/streams/{sid}/media/recent", count=50)) == 21


def test_report_of_unknown_medium(api):
    resp = api.post("/media/123/reports", data={"email": "a@example.com", "reason": "x"})
    assert_error(resp, 404, "No entity of type Media was found with id 123.")


def test_stash_is_single_use(api):
    user = api.create_user()
    stash = assert_envelope(api.stash())["data"]
    first = api.post(f"/users/{user['id']}/media", data={"url": f"/stashes/{stash['id']}", "caption": "one"})
    assert_envelope(first)
    second = api.post(f"/users/{user['id']}/media", data={"url": f"/stashes/{stash['id']}", "caption": "two"})
    assert second.status_code == 404
    assert second.json()["data"]["message"] in (
        f"No entity of type Stash was found with id {stash['id']}.",
        f"The requested entity Stash with the id {stash['id']} is inactive.",
    )


def test_stash_expires_after_an_hour(api):
    user = api.create_user()
    stash = assert_envelope(api.stash())["data"]
    api.advance(3601)
    resp = api.post(f"/users/{user['id']}/media", data={"url": f"/stashes/{stash['id']}"})
    assert resp.status_code == 404
    assert resp.json()["data"]["message"] in (
        f"No entity of type Stash was found with id {stash['id']}.",
        f"The requested entity Stash with the id {stash['id']} is inactive.",
    )


def test_stash_usable_within_the_hour(api):
    user = api.create_user()
    stash = assert_envelope(api.stash())["data"]
    api.advance(3500)
    resp = api.post(f"/users/{user['id']}/media", data={"url": f"/stashes/{stash['id']}"})
    assert assert_envelope(resp)["data"]["status"] == "pending"


def test_direct_multipart_upload(api, sid):
    medium = api.upload(stream_id=sid, via_stash=False, caption="direct")
    assert medium["status"] == "pending"
    assert medium["original_image_width"] == "400"
    assert medium["original_image_height"] == "300"
    api.approve(medium["id"])
    assert api.ok(f"/media/{medium['id']}")["caption"] == "direct"


def test_upload_with_location(api, sid):
    medium = api.upload(stream_id=sid, via_stash=False, latitude="40.5", longitude="-74.25")
    assert medium["location"] == {"latitude": 40.5, "longitude": -74.25}


def test_upload_of_png_is_accepted(api, sid):
    medium = api.upload(stream_id=sid, content=make_image((200, 100), fmt="PNG"), via_stash=False)
    assert medium["status"] == "pending"
    assert (medium["original_image_width"], medium["original_image_height"]) == ("200", "100")


def test_upload_is_listed_in_moderation_with_its_json(api, sid):
    medium = api.upload(stream_id=sid, caption="queued")
    queued = {m["id"]: m for m in api.moderation()}[medium["id"]]
    assert queued["status"] == "pending"
    assert queued["caption"] == "queued"


def test_reset_clears_uploads(api, sid):
    medium = api.upload(stream_id=sid)
    api.op("POST", "/reset")
    assert api.moderation() == []
    resp = api(f"/media/{medium['id']}")
    assert resp.status_code == 404

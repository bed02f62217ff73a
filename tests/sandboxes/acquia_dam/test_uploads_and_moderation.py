"""The three-step upload and the review folder (doc: "Upload an asset (optimized)", "Edit an asset",
"Get notifications"; brief §4.6, §4.8, §4.9)."""
from urllib.parse import urlsplit

import pytest

from .conftest import Dam, jpeg, running


def _step1(dam, data, contenttype="image/jpeg", prefix="/ws", **extra):
    params = {"filesize": len(data), "folderid": dam.catalogue["review_folder"]["id"], "filename": "photo.jpg",
              "contenttype": contenttype, **extra}
    resp = dam.get(f"{prefix}/awss3/generateupload", **params)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_upload_lands_onhold_in_the_review_folder_and_waits_for_moderation(dam):
    data = jpeg((800, 600))
    step1 = _step1(dam, data)
    assert set(step1) == {"presignedUrl", "processId"} and step1["processId"].isdigit()
    query = urlsplit(step1["presignedUrl"]).query
    assert "AWSAccessKeyId=" in query and "Expires=" in query and "Signature=" in query
    put = dam.session.put(step1["presignedUrl"], data=data, headers={"Content-Type": "image/jpeg"}, timeout=10)
    assert put.status_code == 200 and put.headers["ETag"]
    done = dam.put(f"/ws/awss3/finishupload/{step1['processId']}")
    assert done.status_code == 200 and set(done.json()) == {"id"}
    asset = dam.ok(f"/assets/{done.json()['id']}")
    assert asset["status"] == "onhold" and asset["folder"]["id"] == dam.catalogue["review_folder"]["id"]
    assert (asset["width"], asset["height"]) == ("800", "600")
    queued = dam.op("GET", "/moderation").json()["media"]
    assert done.json()["id"] in [m["id"] for m in queued]
    assert done.json()["id"] in dam.op("GET", "/catalogue").json()["hidden_media"]


def test_the_put_needs_the_content_type_of_step_1(dam):
    """doc: "A content type header matching the contenttype from Step 1 MUST be provided"."""
    data = jpeg()
    step1 = _step1(dam, data)
    wrong = dam.session.put(step1["presignedUrl"], data=data, headers={"Content-Type": "image/png"}, timeout=10)
    assert wrong.status_code == 403 and b"SignatureDoesNotMatch" in wrong.content
    bare = dam.session.put(step1["presignedUrl"], data=data, timeout=10)
    assert bare.status_code == 403
    assert dam.put(f"/ws/awss3/finishupload/{step1['processId']}").status_code == 400  # nothing was uploaded


def test_presigned_url_and_process_expire_after_5_minutes(dam):
    """doc: "a presigned url (:presignedurl) valid for 5 minutes"; choice: the process lives as long."""
    data = jpeg()
    step1 = _step1(dam, data)
    dam.advance(301)
    late = dam.session.put(step1["presignedUrl"], data=data, headers={"Content-Type": "image/jpeg"}, timeout=10)
    assert late.status_code == 403 and b"expired" in late.content
    assert dam.put(f"/ws/awss3/finishupload/{step1['processId']}").status_code == 404
    other = _step1(dam, data)
    dam.session.put(other["presignedUrl"], data=data, headers={"Content-Type": "image/jpeg"}, timeout=10)
    dam.advance(301)
    assert dam.put(f"/ws/awss3/finishupload/{other['processId']}").status_code == 404


def test_finishupload_is_single_use(dam):
    process_id, asset_id = dam.upload(jpeg())
    assert dam.put(f"/ws/awss3/finishupload/{process_id}").status_code == 404  # choice
    review = dam.catalogue["review_folder"]["id"]
    assert [a["id"] for a in dam.walk(review) if a["id"] == asset_id] == [asset_id]


@pytest.mark.parametrize("params", [{"filesize": "0"}, {"filesize": None}, {"folderid": "abc"},
                                    {"folderid": "1"}, {"filename": None}, {"contenttype": "jpeg"},
                                    {"intent": "overwrite"}, {"assetid": "1"}])
def test_generateupload_checks_its_parameters(dam, params):
    base = {"filesize": "1000", "folderid": dam.catalogue["review_folder"]["id"], "filename": "a.jpg",
            "contenttype": "image/jpeg"}
    base.update(params)
    resp = dam.get("/ws/awss3/generateupload", **{k: v for k, v in base.items() if v is not None})
    assert resp.status_code in (400, 404) and resp.json()["error"] in ("invalid_request", "not_found")


def test_uploads_need_the_bearer(dam):
    assert dam.session.get(dam.base + "/ws/awss3/generateupload", timeout=10).status_code == 401
    assert dam.session.put(dam.base + "/ws/awss3/finishupload/1", timeout=10).status_code == 401


def test_both_prefixes_by_default_and_one_when_configured(dam):
    """brief §4.10: the document writes /awss3/... and /ws/awss3/...; --upload-prefix keeps one."""
    assert dam.upload(jpeg(), prefix="")[1]
    with running("--upload-prefix", "/ws") as url:
        only_ws = Dam(url)
        assert only_ws.get("/awss3/generateupload", filesize=1, folderid="90700", filename="a.jpg",
                           contenttype="image/jpeg").status_code == 404
        assert only_ws.upload(jpeg())[1]


def test_approval_activates_and_moves_the_upload_to_its_product(dam):
    _, asset_id = dam.upload(jpeg())
    dam.put(f"/assets/{asset_id}/metadatas/xmp", json={"customfield1": "acme-anvil-50lb"})
    before = dam.catalogue["products"]["acme-anvil-50lb"]["media"]
    approved = dam.op("POST", f"/moderation/{asset_id}/approve").json()["media"]
    assert approved["status"] == "active" and approved["folder"]["id"] == dam.folder_id("acme-anvil-50lb")
    catalogue = dam.op("GET", "/catalogue").json()
    assert catalogue["products"]["acme-anvil-50lb"]["media"] == before + 1
    assert asset_id not in catalogue["hidden_media"]
    assert asset_id not in [m["id"] for m in dam.op("GET", "/moderation").json()["media"]]
    newest = dam.ok(f"/folders/{dam.folder_id('acme-anvil-50lb')}/assets", sortdir="desc", limit=1)["items"][0]
    assert newest["id"] == asset_id


def test_rejection_leaves_the_asset_inactive_in_review(dam):
    _, asset_id = dam.upload(jpeg())
    rejected = dam.op("POST", f"/moderation/{asset_id}/reject").json()["media"]
    assert rejected["status"] == "inactive" and rejected["folder"]["id"] == dam.catalogue["review_folder"]["id"]
    assert dam.session.post(dam.base + f"/_sandbox/moderation/{asset_id}/approve", timeout=10).status_code == 404


def test_notifications_record_uploads_edits_and_approvals(dam):
    """doc "Get notifications": newest first, numbers as strings, actions asset_created, asset_property."""
    _, asset_id = dam.upload(jpeg())
    dam.put(f"/assets/{asset_id}/metadatas/xmp", json={"customfield1": "acme-anvil-50lb"})
    dam.op("POST", f"/moderation/{asset_id}/approve")
    feed = dam.ok("/notifications", limit=20, offset=0)
    assert feed["offset"] == "0" and feed["limit"] == "20" and feed["total"] == "3"
    actions = [(n["action"], n["source"]["type"], n["source"]["id"]) for n in feed["notifications"]]
    review = dam.catalogue["review_folder"]["id"]
    assert actions == [("asset_property", "asset", asset_id), ("asset_property", "asset", asset_id),
                       ("asset_created", "folder", review)]
    assert feed["notifications"][2]["subitems"] == [{"type": "asset", "id": asset_id}]
    assert feed["last_read"] is None and dam.ok("/notifications")["last_read"] is not None
    quiet = dam.put(f"/assets/{asset_id}", json={"description": "x", "sendNotificationsOff": "1"})
    assert quiet.status_code == 200 and dam.ok("/notifications")["total"] == "3"
    assert dam.get("/notifications", limit="0").status_code == 400


def test_a_move_is_notified_with_the_folder_left_and_the_folder_entered(dam):
    """The document has no move action: an asset_property whose subitems are both folders (docs/sandbox.md)."""
    left, entered = dam.folder_id("test-50-media"), dam.folder_id("test-51-media")
    asset_id = dam.walk(left)[0]["id"]
    assert dam.put(f"/assets/{asset_id}", json={"folder": {"id": entered}}).status_code == 200
    assert dam.put(f"/assets/{asset_id}", json={"folder": entered, "description": "stays"}).status_code == 200
    stayed, moved = dam.ok("/notifications")["notifications"]
    assert (moved["action"], moved["source"]["type"], moved["source"]["id"]) == ("asset_property", "asset", asset_id)
    assert [(s["type"], s["id"]) for s in moved["subitems"]] == [("folder", left), ("folder", entered)]
    assert stayed["action"] == "asset_property" and "subitems" not in stayed
    _, uploaded = dam.upload(jpeg())
    dam.op("POST", f"/moderation/{uploaded}/approve", json={"folder": "test-1-media"})
    approved = dam.ok("/notifications")["notifications"][0]
    assert [s["id"] for s in approved["subitems"]] == [dam.catalogue["review_folder"]["id"], dam.folder_id("test-1-media")]


def test_curator_additions_are_notified_on_their_folder(dam):
    added = dam.op("POST", "/assets", json={"folder": "test-1-media", "count": 2}).json()["assets"]
    (note,) = dam.ok("/notifications")["notifications"]
    assert note["action"] == "asset_created" and note["source"]["id"] == dam.folder_id("test-1-media")
    assert [s["id"] for s in note["subitems"]] == added


def test_injected_faults_use_the_error_shape_and_headers(dam):
    dam.op("POST", "/faults", json={"path_prefix": "/folders", "status": 429, "count": 1,
                                    "headers": {"Retry-After": "7"}})
    limited = dam.get("/folders")
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "7"
    assert limited.json() == {"error": "too_many_requests", "error_description": "Fault injected by the sandbox operator."}
    assert dam.get("/folders").status_code == 200


def test_user_and_subscription_for_gallery_check(dam):
    assert dam.ok("/users/me")["username"] == dam.catalogue["credentials"]["ACQUIA_DAM_USERNAME"]
    assert dam.ok("/subscription")["maxUsers"] == "125"

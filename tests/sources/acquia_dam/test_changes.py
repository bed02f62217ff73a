"""The change feed: GET /notifications polled (one poller per interval for the deployment), turned into
the galleries to invalidate, through the registry so every process's memos forget them too."""
import requests

from gallery.media import feeds
from tests.support.app import make_app

from .conftest import add_assets

LOCK = "gallery:acquia_dam:notifications:poll"


def next_interval(r):
    r.delete(LOCK)


def test_a_notification_invalidates_the_gallery_whose_folder_changed(acquia, redis_url):
    app = make_app(redis_url, acquia, sandbox_mode=False, GALLERY_PROVIDERS=["acquia_dam"])
    client, registry, r = app.test_client(), app.extensions["registry"], app.extensions["redis"]
    path = "/api/v1/products/test-1-media/media"
    assert feeds.poll(registry) == []  # the first read only says where the feed stands
    before = [m["id"] for m in client.get(path).json["media"]]
    other = [m["id"] for m in client.get("/api/v1/products/test-50-media/media").json["media"]]
    (added,) = add_assets(acquia, "test-1-media", 1)
    assert [m["id"] for m in client.get(path).json["media"]] == before  # cached
    next_interval(r)
    assert feeds.poll(registry) == [("acquia_dam", "test-1-media")]
    assert [m["id"] for m in client.get(path).json["media"]] == [f"ad-{added}"] + before
    next_interval(r)
    assert feeds.poll(registry) == []  # nothing new
    assert [m["id"] for m in client.get("/api/v1/products/test-50-media/media").json["media"]] == other


def seat(acquia, ad_catalogue):
    """The API seat's bearer header, for edits as a curator makes them through the API."""
    token = requests.post(acquia + "/oauth2/token", timeout=10, data={
        "grant_type": "password", **{k: ad_catalogue["credentials"][f"ACQUIA_DAM_{v}"] for k, v in (
            ("client_id", "CLIENT_ID"), ("client_secret", "CLIENT_SECRET"), ("username", "USERNAME"),
            ("password", "PASSWORD"))}}).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def edit(acquia, bearer, asset_id, **fields):
    requests.put(f"{acquia}/assets/{asset_id}", headers=bearer, json=fields, timeout=10).raise_for_status()


def test_asset_edits_and_deletions_name_their_folder(acquia, make_source, ad_catalogue, rdb):
    feed = make_source().changes
    assert feed() == []
    bearer = seat(acquia, ad_catalogue)
    folder = ad_catalogue["products"]["test-51-media"]["id"]
    assets = requests.get(f"{acquia}/folders/{folder}/assets", headers=bearer, params={"limit": 2}, timeout=10)
    first, second = (a["id"] for a in assets.json()["items"])
    edit(acquia, bearer, first, status="inactive")
    requests.delete(f"{acquia}/assets/{second}", headers=bearer, timeout=10)
    next_interval(rdb)
    assert feed() == ["test-51-media"]


def test_a_moved_asset_invalidates_the_gallery_it_left_and_the_one_it_entered(acquia, ad_catalogue, redis_url):
    app = make_app(redis_url, acquia, sandbox_mode=False, GALLERY_PROVIDERS=["acquia_dam"])
    client, registry, r = app.test_client(), app.extensions["registry"], app.extensions["redis"]
    left, entered = "/api/v1/products/test-50-media/media", "/api/v1/products/test-51-media/media"
    assert feeds.poll(registry) == []
    bearer = seat(acquia, ad_catalogue)
    moved = client.get(left).json["media"][0]["id"].removeprefix("ad-")
    assert f"ad-{moved}" not in [m["id"] for m in client.get(entered).json["media"]]
    edit(acquia, bearer, moved, folder={"id": ad_catalogue["products"]["test-51-media"]["id"]})
    assert f"ad-{moved}" in [m["id"] for m in client.get(left).json["media"]]  # cached
    next_interval(r)
    assert feeds.poll(registry) == [("acquia_dam", "test-50-media"), ("acquia_dam", "test-51-media")]
    assert f"ad-{moved}" not in [m["id"] for m in client.get(left).json["media"]]
    assert f"ad-{moved}" in [m["id"] for m in client.get(entered).json["media"]]


def test_a_notified_asset_is_forgotten_by_the_medium_endpoint(acquia, ad_catalogue, redis_url):
    """/api/v1/media/ad-<id>: its cached upstream answers go, and every process's memos of it."""
    app = make_app(redis_url, acquia, sandbox_mode=False, GALLERY_PROVIDERS=["acquia_dam"])
    client, registry, r = app.test_client(), app.extensions["registry"], app.extensions["redis"]
    assert feeds.poll(registry) == []
    bearer = seat(acquia, ad_catalogue)
    edited, hidden = (m["id"].removeprefix("ad-") for m in client.get(
        "/api/v1/products/test-50-media/media").json["media"][:2])
    for asset_id in (edited, hidden):
        assert client.get(f"/api/v1/media/ad-{asset_id}").status_code == 200
    edit(acquia, bearer, edited, description="Re-captioned by a curator")
    edit(acquia, bearer, hidden, status="inactive")
    assert client.get(f"/api/v1/media/ad-{hidden}").status_code == 200  # cached
    next_interval(r)
    # The feed alone, before any gallery is invalidated (whose announcement would clear the memos too).
    assert registry.get("acquia_dam").changes() == ["test-50-media"]
    assert client.get(f"/api/v1/media/ad-{edited}").json["media"]["caption"] == "Re-captioned by a curator"
    assert client.get(f"/api/v1/media/ad-{hidden}").status_code == 404


def test_one_poll_per_interval_for_the_whole_deployment(acquia, make_source, rdb):
    first, second = make_source().changes, make_source().changes
    assert first() == []
    add_assets(acquia, "test-0-media", 1)
    assert second() == []  # within the interval: not this process's turn
    next_interval(rdb)
    assert second() == ["test-0-media"]
    assert len([e for e in requests.get(acquia + "/_sandbox/requests", timeout=10).json()["requests"]
                if e["path"] == "/notifications"]) == 2


def test_the_worker_process_polls_the_feed(acquia, redis_url):
    """`python -m gallery.worker` (the Procfile's worker) reads the feed on its own and invalidates."""
    import os

    from tests.support import sandboxes
    from tests.support.processes import start_python, stop, wait_for

    app = make_app(redis_url, acquia, sandbox_mode=False, GALLERY_PROVIDERS=["acquia_dam"])
    client, path = app.test_client(), "/api/v1/products/test-1-media/media"
    before = [m["id"] for m in client.get(path).json["media"]]
    env = {**os.environ, "REDIS_URL": redis_url, "GALLERY_PROVIDERS": "acquia_dam", "ACQUIA_DAM_CHANGES_SECONDS": "1",
           **{k: str(v) for k, v in sandboxes.credentials(acquia).items()}}
    worker = start_python("-m", "gallery.worker", env=env)
    try:
        wait_for(lambda: sandboxes.requests_log(acquia, "/notifications"), "the worker reading the feed", 30)
        (added,) = add_assets(acquia, "test-1-media", 1)
        wait_for(lambda: [m["id"] for m in client.get(path).json["media"]] == [f"ad-{added}"] + before,
                 "the gallery invalidated by the worker", 20)
    finally:
        stop(worker)

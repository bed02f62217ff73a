"""The webhook receiver: an asset moved to the trash in Mediagraph leaves the gallery, and its own
page, as soon as the delivery arrives (answers are otherwise fresh for minutes)."""
import requests

from tests.support import sandboxes

from .conftest import WEBHOOK_SECRET, app_for, operator

PRODUCT = "acme-anvil-50lb"


def test_a_trashed_asset_leaves_the_gallery_and_its_page_when_the_webhook_arrives(mediagraph, redis_url):
    client = app_for(mediagraph, redis_url).test_client()
    creds = sandboxes.credentials(mediagraph)
    auth = {"auth": ("", creds["MEDIAGRAPH_TOKEN"]), "headers": {"OrganizationId": creds["MEDIAGRAPH_ORGANIZATION_ID"]},
            "timeout": 10}
    requests.post(f"{mediagraph}/api/webhooks", json={"webhook": {
        "url": f"https://gallery.example/webhooks/mediagraph/{WEBHOOK_SECRET}", "events": "asset.deleted"}},
        **auth).raise_for_status()
    path = f"/api/v1/products/{PRODUCT}/media"
    gone = client.get(path, query_string={"limit": 100}).json["media"][0]["id"]
    assert client.get(f"/api/v1/media/{gone}").status_code == 200
    requests.delete(f"{mediagraph}/api/assets/{gone.removeprefix('mg-')}", **auth).raise_for_status()
    assert gone in [m["id"] for m in client.get(path, query_string={"limit": 100}).json["media"]]  # cached

    (delivery,) = operator(mediagraph, "GET", "/webhooks")["deliveries"]
    answer = client.post(f"/webhooks/mediagraph/{WEBHOOK_SECRET}", json=delivery["payload"])
    assert answer.status_code == 200 and answer.json["invalidated"] == 1
    assert gone not in [m["id"] for m in client.get(path, query_string={"limit": 100}).json["media"]]
    assert client.get(f"/api/v1/media/{gone}").status_code == 404

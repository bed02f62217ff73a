"""--deliver: webhook deliveries POSTed for real (002 l.16616: "receive real-time HTTP notifications")."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support import sandboxes
from tests.support.processes import wait_for

from .conftest import Mg


def test_deliveries_reach_the_webhook_url():
    received = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append((self.path, json.loads(self.rfile.read(int(self.headers["Content-Length"])))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sandboxes.running("mediagraph", "--token", "mg-test-pat", "--deliver") as url:
            mg = Mg(url)
            cat = mg.op("GET", "/catalogue")
            gid = int(cat["products"]["test-1-media"]["id"])
            hook = f"http://127.0.0.1:{server.server_address[1]}/hooks/s3cret"
            mg.ok("POST", "/api/webhooks", json={"webhook": {"url": hook, "events": "collection.updated",
                                                              "asset_group_id": gid}})
            asset = mg.search(collection_id=cat["products"]["test-10-media"]["id"]).json()["assets"][0]
            mg.ok("POST", "/api/assets/add_group", json={"asset_ids": [asset["id"]], "group_id": gid})
            wait_for(lambda: received, "a delivery")
            path, payload = received[0]
            assert path == "/hooks/s3cret" and payload["event"] == "collection.updated"
            assert payload["collection"]["id"] == gid
            wait_for(lambda: mg.op("GET", "/webhooks")["deliveries"][0]["status"] == 204, "the status recorded")
    finally:
        server.shutdown()

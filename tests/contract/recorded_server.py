"""A tiny HTTP server on a real socket that answers with the recorded real-shaped answers of
recorded/ (routes.json maps a path, and optionally query parameters, to a file).

Why not the sandbox: these answers carry what the sandbox does not make, so that the client meets
them exactly as written: a wrapped /customers/{id}, a stream with a null base_image and a cover_media,
pages chained by next_id (F11), ids and sizes as strings or as numbers, metadata.version "v2.0", and
every link on a shard host with a trailing slash. The server itself knows nothing of Olapic beyond
the key check and the error envelope, so it cannot be lenient where the files are not.
"""
import json
import pathlib
import threading

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

HERE = pathlib.Path(__file__).parent / "recorded"
KEY = "recorded-key"
CUSTOMER_ID = "900100"


def _error(status, message, wrapped):
    body = {"metadata": {"code": status, "message": message, "version": "v2.0"}, "data": {"message": message}}
    return Response(json.dumps(body), 200 if wrapped else status, mimetype="application/json",
                    headers={"Cache-Control": "no-store"})


class RecordedOlapic:
    def __init__(self):
        self.routes = json.loads((HERE / "routes.json").read_text())
        self.requests = []  # (method, path, query) as received
        self.overrides = {}  # path -> JSON body answered instead of the recorded one (a test's own shape)
        self._server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    @Request.application
    def _app(self, request):
        query = request.args.to_dict()
        self.requests.append((request.method, request.path, query))
        wrapped = query.get("wrap_responses") == "1"
        if query.get("auth_token") != KEY:
            return _error(401, "Invalid Credentials.", wrapped)
        path = request.path.rstrip("/") or "/"
        if path in self.overrides:
            return Response(json.dumps(self.overrides[path]), mimetype="application/json",
                            headers={"Cache-Control": "no-store"})
        for route in self.routes:
            wanted = route.get("query", {})
            if (route.get("method", "GET"), route["path"]) == (request.method, path) and \
                    all(query.get(k) == v for k, v in wanted.items()):
                return Response((HERE / route["file"]).read_bytes(), mimetype="application/json",
                                headers={"Cache-Control": "max-age=60"})
        return _error(404, "The requested resource was not found.", wrapped)

"""The ceiling: a trivial Flask app that answers captured responses byte for byte.

bench/run.py fetches each benchmarked URL from the real service once, stores body and headers in a
JSON file named by BENCH_CAPTURED, and serves this app with the same gunicorn settings. Whatever the
real service costs on top of "Flask returns these bytes" is what the ratios measure.
"""
import base64
import json
import os

from flask import Flask, Response, request

# Set by the server for each response; everything else is copied as captured.
SERVER_SET = {"content-length", "date", "server", "connection", "keep-alive", "transfer-encoding"}


def capture(response):
    """The JSON-able form of a `requests` response, for the file this app serves from."""
    return {
        "status": response.status_code,
        "headers": [(k, v) for k, v in response.headers.items() if k.lower() not in SERVER_SET],
        "body": base64.b64encode(response.content).decode(),
    }


def create_app():
    with open(os.environ["BENCH_CAPTURED"]) as f:
        captured = {
            target: (base64.b64decode(c["body"]), c["status"], c["headers"])
            for target, c in json.load(f).items()
        }
    app = Flask(__name__)

    @app.get("/<path:_>")
    def serve(_):
        body, status, headers = captured[request.full_path.rstrip("?")]
        return Response(body, status=status, headers=headers)

    return app

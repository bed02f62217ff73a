"""Serve a sandbox app on a real socket until interrupted (each sandbox's `python -m` entry point)."""
import logging

from werkzeug.serving import make_server


def serve(app, host: str, port: int, banner: str, media_url: str = "") -> None:
    """`media_url`: the origin of the media files' URLs (default: the host each request came to)."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    app.config["SANDBOX_MEDIA_URL"] = media_url.rstrip("/")
    server = make_server(host, port, app, threaded=True)
    print(banner, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()

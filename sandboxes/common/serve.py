"""Serve a sandbox app on a real socket until interrupted (each sandbox's `python -m` entry point)."""
import logging

from werkzeug.serving import make_server


def serve(app, host: str, port: int, banner: str) -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server(host, port, app, threaded=True)
    print(banner, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()

"""Entry point: `python app.py` serves the gallery; gunicorn uses `app:create_app()` (see Procfile)."""
import signal
import sys

from gallery import create_app, embedded

if __name__ == "__main__":
    # SIGTERM exits like Ctrl-C, so the embedded Redis, sandbox and worker we started stop with us.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    application = create_app()
    embedded.start_worker()  # the upload worker, as `make run` does (gunicorn.conf.py)
    application.run(host="127.0.0.1", port=application.config["PORT"], threaded=True)

"""Entry point: `python app.py` serves the gallery; gunicorn uses `app:create_app()` (see Procfile),
and `flask --app app gallery ...` runs the operator commands.

Unlike gallery.create_app, which starts nothing, this factory first starts the embedded defaults
that the environment leaves unconfigured (a Redis, the sandboxes: gallery/embedded.py). Under
gunicorn the master already started them (gunicorn.conf.py), and the workers reuse them.
"""
import signal
import sys

import gallery
from gallery import embedded, multiprocess, settings


def create_app():
    embedded.start_defaults(settings.from_env())  # exports what it started to the environment
    return gallery.create_app()


if __name__ == "__main__":
    # SIGTERM exits like Ctrl-C, so the embedded Redis, sandboxes and worker we started stop with us.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    multiprocess.prepare()  # metrics summed with the upload worker's (gallery/metrics.py)
    application = create_app()
    embedded.start_worker()  # the upload worker, as `make run` does (gunicorn.conf.py)
    print(embedded.welcome(application.config), flush=True)
    application.run(host=application.config["HOST"], port=application.config["PORT"], threaded=True)

"""Entry point: `python app.py` serves the gallery; gunicorn uses `app:create_app()` (see Procfile)."""
from gallery import create_app, embedded

if __name__ == "__main__":
    application = create_app()
    embedded.start_worker()  # the upload worker, as `make run` does (gunicorn.conf.py)
    application.run(host="127.0.0.1", port=application.config["PORT"], threaded=True)

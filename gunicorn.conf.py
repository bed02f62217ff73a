"""gunicorn settings, from the environment (PaaS style)."""
import os

# Loopback unless HOST says otherwise: `make run` on a laptop stays off the LAN. The Procfile says 0.0.0.0.
bind = f"{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
keepalive = 5
control_socket_disable = True  # several instances (tests, bench) would share one socket path
accesslog = None  # the app writes one structured line per request itself


def on_starting(server):
    # Start the embedded Redis and sandbox once, in the master, so every worker shares them.
    from gallery import embedded, multiprocess, settings

    multiprocess.prepare()  # first: every worker (the upload worker too) writes its metrics there
    config = settings.from_env()
    embedded_redis = not config["REDIS_URL"]
    embedded.start_defaults(config)
    if embedded_redis or config["SANDBOX_MODE"]:
        embedded.start_worker()  # the upload worker, so that `make run` needs nothing else


def child_exit(server, worker):
    from gallery import multiprocess

    multiprocess.process_exited(worker.pid)


def when_ready(server):
    from gallery import embedded, settings

    print(embedded.welcome(settings.from_env()), flush=True)

"""The upload delivery worker: `python -m gallery.worker` (the Procfile's `worker` process).

An RQ worker on the uploads queue, in an app context so that jobs reach the app's Redis and the
upload provider. With the scheduler on, retries wait out their backoff. A job whose worker died (killed, or
its machine lost) is found by the next maintenance pass of any worker, once its heartbeat has run
out, and runs again (see gallery/uploads/jobs.py and the source's submissions for why a re-run never duplicates).
The worker's process also polls the sources' change feeds (gallery/media/feeds.py).
"""
import redis
from rq import Worker

from . import create_app, requestlog, sources
from .media import feeds
from .uploads import jobs

HEARTBEAT = 5  # seconds between a running job's heartbeats: a dead job is noticed ~60 s after the last
MAINTENANCE = 30  # seconds between looks for dead jobs (RQ's default is 10 minutes)...
WORKER_TTL = 45  # ...which an idle worker only takes between waits on the queue, of WORKER_TTL - 15 s


def main():
    app = create_app()
    requestlog.write_at_once()  # each job runs in a work horse that exits with os._exit, unflushed
    # RQ raises this connection's socket timeout to block on the queue: not the app's own client.
    connection = redis.Redis.from_url(app.config["REDIS_URL"])
    # The sources' change feeds (Source.changes), polled here by a thread on sources of its own: the
    # work horses RQ forks never need a lock or an HTTP connection that thread may hold.
    feeds.start(sources.build_registry(app.config, app.extensions["redis"], app.extensions["cache_redis"]))
    with app.app_context():
        worker = Worker([jobs.QUEUE], connection=connection, job_monitoring_interval=HEARTBEAT,
                        maintenance_interval=MAINTENANCE, worker_ttl=WORKER_TTL)
        worker.work(with_scheduler=True, logging_level=app.config["LOG_LEVEL"])


if __name__ == "__main__":
    main()

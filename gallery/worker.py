"""The upload delivery worker: `python -m gallery.worker` (the Procfile's `worker` process).

An RQ worker on the uploads queue, in an app context so that jobs reach the app's Redis and the
upload provider. With the scheduler on, retries wait out their backoff. A job whose worker died (killed, or
its machine lost) is found by the next maintenance pass of any worker, once its heartbeat has run
out, and runs again (see gallery/uploads/jobs.py and the source's submissions for why a re-run never duplicates).
A dead job is abandoned WORKER_HEARTBEAT + WORKER_DEAD_AFTER after its last heartbeat, and noticed
within WORKER_MAINTENANCE_INTERVAL more (gallery/settings.py): about 65-95 s by default.

The worker's process also polls the sources' change feeds (gallery/media/feeds.py).
"""
from rq import Worker

from . import multiprocess

multiprocess.one_file_set_for_work_horses()  # before gallery.metrics is imported (by requestlog)

from . import create_app, requestlog, sources  # noqa: E402
from .extensions import connect  # noqa: E402
from .media import feeds  # noqa: E402
from .uploads import jobs  # noqa: E402


class DeliveryWorker(Worker):
    """RQ's Worker, but a running job counts as abandoned `dead_after` seconds after its heartbeat is
    due (RQ fixes that grace at 60 s): the tests take it down to seconds."""

    dead_after = 60

    def get_heartbeat_ttl(self, job):
        interval = self.job_monitoring_interval
        if job.timeout and job.timeout > 0:
            interval = min(job.timeout - self.current_job_working_time, interval)
        return int(interval) + self.dead_after


def make_worker(config, connection):
    worker = DeliveryWorker(
        [jobs.QUEUE], connection=connection, job_monitoring_interval=config["WORKER_HEARTBEAT"],
        maintenance_interval=config["WORKER_MAINTENANCE_INTERVAL"],
        # An idle worker only looks for dead jobs between waits on the queue, of worker_ttl - 15 s.
        worker_ttl=config["WORKER_MAINTENANCE_INTERVAL"] + 15,
    )
    worker.dead_after = config["WORKER_DEAD_AFTER"]
    return worker


def main():
    app = create_app()
    requestlog.write_at_once()  # each job runs in a work horse that exits with os._exit, unflushed
    # RQ raises this connection's socket timeout to block on the queue: not the app's own client.
    connection = connect(app.config["REDIS_URL"])
    # The sources' change feeds (Source.changes), polled here by a thread on sources of its own: the
    # work horses RQ forks never need a lock or an HTTP connection that thread may hold.
    feeds.start(sources.build_registry(app.config, app.extensions["redis"], app.extensions["cache_redis"]))
    with app.app_context():
        make_worker(app.config, connection).work(with_scheduler=True, logging_level=app.config["LOG_LEVEL"])


if __name__ == "__main__":
    main()

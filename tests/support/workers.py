"""Real delivery workers (`python -m gallery.worker`, the Procfile's) as processes of our own, and the
"killed mid-delivery" scenario every upload provider's suite runs.

The workers take RQ's dead-job detection down to seconds (the service's WORKER_* settings): a job
whose worker was killed counts as abandoned 2 s after its heartbeat (every second) was due, and an
idle worker looks for such jobs every second. A restarted worker so picks up a killed one's job in a
few seconds instead of the 65-95 s of the defaults, through RQ's own maintenance, as in production.

RQ re-runs an abandoned job as a retry. A scheduled retry (a delay above 0) would wait for the killed
worker's scheduler lock to run out (61 s, fixed by RQ): enqueue the upload with UPLOAD_RETRY_DELAYS=[0, 0].
"""
import os
import signal

import psutil

from .processes import start_python, stop, wait_for

QUICK_DEAD_JOBS = {"WORKER_HEARTBEAT": "1", "WORKER_DEAD_AFTER": "2", "WORKER_MAINTENANCE_INTERVAL": "1"}


class Workers:
    """`workers.start()` starts a worker with this environment (os.environ, QUICK_DEAD_JOBS, `env`);
    `workers.stop()` ends every one still running."""

    def __init__(self, **env):
        self.env = {**os.environ, **QUICK_DEAD_JOBS, **{k: str(v) for k, v in env.items()}}
        self.procs = []

    def start(self, **popen_options):
        proc = start_python("-m", "gallery.worker", env=self.env, **popen_options)
        self.procs.append(proc)
        return proc

    def stop(self):
        for proc in self.procs:
            stop(proc)


def kill(proc):
    """SIGKILL a worker and its work horse (and the scheduler it forked), as a lost machine would."""
    for child in [*psutil.Process(proc.pid).children(recursive=True), psutil.Process(proc.pid)]:
        try:
            child.send_signal(signal.SIGKILL)
        except psutil.NoSuchProcess:
            pass
    proc.wait(10)


def killed_mid_step(workers, r, upload_id, step, bound=60):
    """Start a worker; SIGKILL it once the upload's record has `step` (the provider sets it before the
    upstream call it guards, which the test makes slow); start another, and wait until RQ's maintenance
    has found the dead job and the new worker has run it again to a final status. Returns the record."""
    from rq.job import Job

    key = f"gallery:upload:{upload_id}"
    job = Job.fetch(f"upload-{upload_id}", connection=r)
    assert job.retries_left and job.get_retry_interval() == 0, "enqueue it with UPLOAD_RETRY_DELAYS=[0, 0]"
    first = workers.start()

    def at_step():
        assert first.poll() is None, f"the worker exited with {first.returncode} before {step!r}"
        return r.hget(key, step) is not None

    wait_for(at_step, f"the worker at step {step!r}", bound)
    kill(first)
    assert r.hget(key, step) is not None, f"step {step!r} was over before the kill"
    workers.start()
    wait_for(lambda: r.hget(key, "status") in (b"submitted", b"failed"), "the killed worker's job run again",
             bound)
    return {k.decode(): v.decode() for k, v in r.hgetall(key).items()}

"""PROMETHEUS_MULTIPROC_DIR: where every process of one run writes its metrics, so that any web worker's
/metrics sums them all (prometheus_client's multiprocess mode; gallery/metrics.py).

Whoever starts the processes prepares it before any of them imports prometheus_client: gunicorn's
master (gunicorn.conf.py: its web workers and the delivery worker it starts inherit it) or `python
app.py`. An operator's directory is emptied at each start, since what an earlier run left would add to
this one's totals; without one, a fresh temporary directory lives as long as the starting process.
A delivery worker started on its own (`python -m gallery.worker`) writes where the variable says.
"""
import atexit
import glob
import os
import shutil
import tempfile

VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def prepare():
    """The run's directory, emptied or made, and exported to this process's children."""
    path = os.environ.get(VARIABLE)
    if path:
        os.makedirs(path, exist_ok=True)
        for stale in glob.glob(os.path.join(path, "*.db")):
            os.remove(stale)
    else:
        path = tempfile.mkdtemp(prefix="gallery-metrics-")
        owner = os.getpid()  # forked children inherit this hook: only the process that made it removes it
        atexit.register(lambda: os.getpid() == owner and shutil.rmtree(path, ignore_errors=True))
    os.environ[VARIABLE] = path
    return path


def process_exited(pid):
    """A web worker is gone (gunicorn's child_exit): its live gauges go; its counts stay in the totals."""
    if os.environ.get(VARIABLE):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)


def one_file_set_for_work_horses():
    """RQ runs each job in a work horse forked for it: under its own pid each would leave files of its
    own, and every scrape would read them all. A worker runs one horse at a time, so its horses share
    one set. Call before gallery.metrics is imported (metrics without labels take their files then)."""
    if not os.environ.get(VARIABLE):
        return
    from prometheus_client import values

    worker = os.getpid()
    values.ValueClass = values.MultiProcessValue(
        lambda: worker if os.getpid() == worker else f"{worker}-horse")

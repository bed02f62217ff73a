"""Where uploads are cleaned: in child processes whose memory and CPU are capped, a few at a time.

Decoding a hostile image is the costliest thing the service does for a stranger: a 49 MP WebP takes
some 800 MB and seconds of CPU to decode, whatever happens next. So clean_bytes (files.py) runs in a
process of its own per upload, forked from a small fork server (no threads of the web worker are
copied), with RLIMIT_AS and RLIMIT_CPU set: an image past either is refused, and the web worker's own
memory never grows by it, since the child's is returned to the system when it exits.

At most `concurrency` cleans run at once per web process; an upload waits up to `wait` seconds for
its turn, then is answered 503 with Retry-After.
"""
import multiprocessing
import os
import resource
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ..errors import ApiError
from .files import FileRejected, clean_bytes, read_file

RETRY_AFTER = 5


def _limit(max_memory, max_cpu_seconds):
    """Initializer of each cleaning process."""
    resource.setrlimit(resource.RLIMIT_AS, (max_memory, max_memory))
    resource.setrlimit(resource.RLIMIT_CPU, (max_cpu_seconds, max_cpu_seconds + 1))


class Cleaner:
    def __init__(self, *, concurrency, max_memory, max_cpu_seconds, wait):
        self._concurrency, self._limits, self._wait = concurrency, (max_memory, max_cpu_seconds), wait
        self._slots = threading.BoundedSemaphore(concurrency)
        self._lock = threading.Lock()
        self._pool, self._pid = None, None

    @classmethod
    def for_config(cls, config):
        """This process's Cleaner for these settings: one per process, however many apps it makes."""
        settings = (config["UPLOAD_CLEAN_CONCURRENCY"], config["UPLOAD_CLEAN_MAX_MEMORY"],
                    config["UPLOAD_CLEAN_MAX_CPU_SECONDS"], config["UPLOAD_CLEAN_WAIT"])
        with _cleaners_lock:
            if settings not in _cleaners:
                concurrency, max_memory, max_cpu_seconds, wait = settings
                _cleaners[settings] = cls(concurrency=concurrency, max_memory=max_memory,
                                          max_cpu_seconds=max_cpu_seconds, wait=wait)
            return _cleaners[settings]

    def clean(self, stream, *, max_bytes, max_pixels):
        """clean_file, with the bytes read here and the image decoded in a capped child process."""
        data = read_file(stream, max_bytes)  # size and presence checked before taking a slot
        if not self._slots.acquire(timeout=self._wait):
            raise ApiError(503, "busy", "Too many photos are being processed. Please try again.",
                           headers={"Retry-After": str(RETRY_AFTER)})
        try:
            return self._executor().submit(clean_bytes, data, max_bytes=max_bytes, max_pixels=max_pixels).result()
        except BrokenProcessPool:  # the child was killed: past its CPU limit (SIGXCPU), or out of memory
            self._discard()
            raise FileRejected(400, "image_too_large", "The image takes too long to process.") from None
        finally:
            self._slots.release()

    def _executor(self):
        with self._lock:
            if self._pool is None or self._pid != os.getpid():  # none yet, or inherited through a fork
                self._pid = os.getpid()
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload([__name__, f"{__package__}.images"])  # children fork with Pillow imported
                self._pool = ProcessPoolExecutor(self._concurrency, mp_context=context, initializer=_limit,
                                                 initargs=self._limits, max_tasks_per_child=1)
            return self._pool

    def _discard(self):
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)



_cleaners = {}
_cleaners_lock = threading.Lock()

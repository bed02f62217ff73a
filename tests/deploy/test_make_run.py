"""`make run` as a new user runs it: a real gunicorn, embedded Redis, sandboxes and upload worker,
on loopback unless HOST says otherwise, stopped cleanly by SIGTERM (systemd, Docker) and by Ctrl-C."""
import os
import signal
import subprocess

import psutil
import pytest
import requests

from gallery import sources
from tests.support.processes import free_port, free_ports, wait_for_http

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAN = "192.0.2.10"  # TEST-NET-1 (RFC 5737): written into links, never connected to


def listening(port):
    return {c.laddr.ip for c in psutil.net_connections("tcp") if c.status == "LISTEN" and c.laddr.port == port}


@pytest.fixture
def make_run(tmp_path):
    """Start `make run` in a session of its own (as a terminal would), nothing configured; yields
    (process, port, log path). One still running at the end is killed with its process group (make,
    gunicorn): the kernel then stops the embedded children (gallery/embedded.py)."""
    started = []

    def start(**env):
        port = free_ports(1 + sum(1 for plugin in sources.PLUGINS if plugin.sandbox))  # the service, then its sandboxes
        environ = {k: v for k, v in os.environ.items()
                   if k not in {"REDIS_URL", "CACHE_REDIS_URL", "HOST", "PUBLIC_URL", "SANDBOX_PORT"}
                   and not any(k in plugin.credentials for plugin in sources.PLUGINS)}
        environ.update(PORT=str(port), INSTANCE_PATH=str(tmp_path / "instance"), WEB_CONCURRENCY="1", **env)
        log = tmp_path / "make-run.log"
        # -o: the venv counts as installed (a worktree's may look older than requirements.txt).
        proc = subprocess.Popen(["make", "--no-print-directory", "-o", ".venv/.installed", "run"], cwd=ROOT,
                                env=environ, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
        started.append(proc)
        try:
            wait_for_http(f"http://127.0.0.1:{port}/healthz", proc, timeout=60)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}; it printed:\n{log.read_text()}") from None
        return proc, port, log

    yield start
    for proc in started:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def descendants(proc):
    family = psutil.Process(proc.pid).children(recursive=True)
    # The embedded children: gunicorn (and its workers), redis-server, each sandbox, the upload worker.
    assert any("redis-server" in p.name() for p in family)
    assert sum("sandboxes." in " ".join(p.cmdline()) for p in family) == sum(1 for p in sources.PLUGINS if p.sandbox)
    assert any("gallery.worker" in " ".join(p.cmdline()) for p in family)
    return family


def stopped_cleanly(proc, family, log, sig, group=False):
    """`sig` to make (or, as a terminal's Ctrl-C, to its whole process group): everything stops."""
    os.killpg(proc.pid, sig) if group else proc.send_signal(sig)
    proc.wait(60)  # anti-hang bound
    gone, alive = psutil.wait_procs(family, timeout=30)
    assert alive == [], f"still running: {[p.cmdline() for p in alive]}"
    output = log.read_text()
    assert "Traceback" not in output, output
    assert "Error" not in output, output
    assert proc.returncode in (0, -sig), output  # make passes the signal on, then dies of it


def test_make_run_listens_on_loopback_says_where_and_stops_on_sigterm(make_run):
    proc, port, log = make_run()
    assert listening(port) == {"127.0.0.1"}
    assert listening(port + 1) == {"127.0.0.1"}  # the Olapic sandbox too
    assert f"open http://127.0.0.1:{port}/" in log.read_text()
    demo = requests.get(f"http://127.0.0.1:{port}/", timeout=10)
    assert demo.status_code == 200
    family = descendants(proc)
    stopped_cleanly(proc, family, log, signal.SIGTERM)  # to make alone


def test_a_lan_demo_listens_everywhere_links_its_public_url_and_stops_on_ctrl_c(make_run):
    public = f"http://{LAN}:{free_port()}"
    proc, port, log = make_run(HOST="0.0.0.0", PUBLIC_URL=public)
    assert listening(port) == {"0.0.0.0"}
    assert listening(port + 1) == {"0.0.0.0"}
    assert f"open {public}/" in log.read_text()
    # Every sandbox's images follow PUBLIC_URL (each on its own port), in the mixed gallery.
    media = requests.get(f"http://127.0.0.1:{port}/api/v1/products/acme-anvil-50lb/media?limit=100",
                         timeout=10).json()["media"]
    sandbox_origins = {f"http://{LAN}:{port + offset}" for offset in (1, 2, 3, 4)}
    origins = {}
    for m in media:
        origins.setdefault(m["provider"], set()).update("/".join(r["url"].split("/", 3)[:3]) for r in m["renditions"])
    assert set(origins) == {"olapic", "mediagraph", "acquia_dam", "momapix"}, origins
    assert all(found <= sandbox_origins for found in origins.values()), origins
    demo = requests.get(f"http://127.0.0.1:{port}/", timeout=10)
    assert f"http://{LAN}:{port + 1}" in demo.headers["Content-Security-Policy"]
    assert f'src="{public}/widgets/carousel.js"' in demo.text
    family = descendants(proc)
    # Ctrl-C: the terminal signals the whole foreground process group at once.
    stopped_cleanly(proc, family, log, signal.SIGINT, group=True)

"""/metrics in Prometheus's multiprocess mode: gunicorn with two web workers and the delivery worker
(`python -m gallery.worker`) sharing one PROMETHEUS_MULTIPROC_DIR, as an operator runs them on one
machine. Whichever worker answers a scrape, the totals are every process's."""
import glob
import os
import sys
import subprocess

import psutil
import pytest
import requests
from prometheus_client.multiprocess import MultiProcessCollector

from tests.conftest import SANDBOX_KEY, free_port, wait_for
from tests.support.metrics import total
from tests.support.processes import redis_connection, start_python, stop, wait_for_http

from .conftest import GENEROUS, PRODUCT, form, photo

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROUTE = "/api/v1/products/<tag_key:tag_key>/media"


@pytest.fixture
def service(sandbox, redis_url, tmp_path):
    """(base URL, metrics directory, gunicorn master): 2 web workers, and the delivery worker beside them."""
    redis_connection(redis_url).flushdb()
    port, metrics_dir = free_port(), tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_1.db").write_bytes(b"")  # left by an earlier run: the master empties the directory
    env = {**os.environ, "PORT": str(port), "REDIS_URL": redis_url, "OLAPIC_API_KEY": SANDBOX_KEY,
           "OLAPIC_API_URL": sandbox, "WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "4", "LOG_LEVEL": "WARNING",
           "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir), "UPLOAD_LIMITS_PER_IP": GENEROUS,
           "UPLOAD_LIMITS_PER_EMAIL": GENEROUS}
    web = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:create_app()"],
                           env=env, cwd=ROOT)
    worker = None
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_http(url + "/healthz", web)
        worker = start_python("-m", "gallery.worker", env=env, cwd=ROOT)  # once the master emptied the directory
        yield url, metrics_dir, web
    finally:
        for proc in (worker, web):
            if proc is not None:
                stop(proc)


def answered_by(metrics_dir, pid):
    """How many media pages one process answered, from its own files."""
    files = glob.glob(str(metrics_dir / f"histogram_{pid}.db"))
    return sum(sample.value for family in MultiProcessCollector.merge(files, accumulate=True)
               for sample in family.samples
               if sample.name == "gallery_http_request_duration_seconds_count" and sample.labels["route"] == ROUTE)


def test_every_scrape_sums_both_web_workers_and_the_delivery_worker(service):
    url, metrics_dir, web = service
    assert not (metrics_dir / "counter_1.db").exists()
    wait_for(lambda: len(psutil.Process(web.pid).children()) == 2, "two web workers")
    workers = [child.pid for child in psutil.Process(web.pid).children()]
    sent = 0

    def both_answered():
        nonlocal sent
        for _ in range(10):  # a new connection each: whichever worker accepts it
            assert requests.get(f"{url}/api/v1/products/{PRODUCT}/media", timeout=10).status_code == 200
            sent += 1
        return all(answered_by(metrics_dir, pid) for pid in workers)

    wait_for(both_answered, "answered by both web workers", bound=60)
    upload = requests.post(f"{url}/api/v1/products/{PRODUCT}/uploads", data=form(data=False),
                           files={"file": ("photo.jpg", photo(), "image/jpeg")}, timeout=30)
    assert upload.status_code == 202, upload.text
    status_url = url + upload.json()["upload"]["status_url"]  # relative without PUBLIC_URL
    wait_for(lambda: requests.get(status_url, timeout=10).json()["upload"]["status"] == "submitted",
             "delivered by the worker", bound=60)

    for _ in range(6):  # whichever web worker answers the scrape
        text = requests.get(url + "/metrics", timeout=10).text
        assert total(text, "gallery_http_request_duration_seconds_count", route=ROUTE, status="200") == sent
        assert sum(answered_by(metrics_dir, pid) for pid in workers) == sent
        assert total(text, "gallery_uploads_total", status="accepted") == 1
        assert total(text, "gallery_uploads_total", status="submitted") == 1  # counted by the delivery worker
        # The delivery's own calls to Olapic are in the upstream totals beside the web workers' misses.
        assert total(text, "gallery_upstream_request_duration_seconds_count", provider="olapic") >= 3

"""Load generators, run in processes of their own so they never share the server's interpreter.

`steady` keeps `connections` keep-alive connections busy for a fixed time: wrk when installed (C,
event-driven, light enough to share two cores with the server), else a Python multi-process
generator. `burst` opens `n` connections at once and sends one request on each.
"""
import http.client
import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import threading
import time
from collections import Counter
from urllib.parse import urlsplit

WRK = shutil.which("wrk")
DEFAULT_GENERATOR = "wrk" if WRK else "python"
REPORT_LUA = os.path.join(os.path.dirname(__file__), "wrk_report.lua")


def steady(url, seconds, connections, generator=DEFAULT_GENERATOR):
    """Drive `url` for `seconds`; return {"requests", "rps", "p50_ms", "p99_ms", "errors"}."""
    assert urlsplit(url).hostname == "127.0.0.1", "loopback only"
    return (_wrk if generator == "wrk" else _python)(url, seconds, connections)


def _wrk(url, seconds, connections):
    out = subprocess.run(
        [WRK, "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", REPORT_LUA, url],
        capture_output=True, text=True, timeout=seconds + 30, check=True,
    ).stdout
    report = json.loads(out.strip().splitlines()[-1])
    return {
        "requests": report["requests"],
        "rps": report["requests"] / (report["duration_us"] / 1e6),
        "p50_ms": report["p50_us"] / 1000,
        "p99_ms": report["p99_us"] / 1000,
        "errors": report["non_2xx_3xx"] + report["socket_errors"],
    }


def _python(url, seconds, connections):
    processes = min(connections, os.cpu_count() or 2)
    per_process = [connections // processes + (i < connections % processes) for i in range(processes)]
    with multiprocessing.Pool(processes) as pool:
        parts = pool.starmap(_python_worker, [(url, seconds, n) for n in per_process])
    latencies = sorted(lat for part in parts for lat in part["latencies"])
    elapsed = max(part["elapsed"] for part in parts)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000,
        "errors": sum(part["errors"] for part in parts),
    }


def _python_worker(url, seconds, threads):
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies, errors = [], []
    start = time.monotonic()
    deadline = start + seconds

    def loop():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            try:
                conn.request("GET", target)
                response = conn.getresponse()
                response.read()
                ok = response.status < 400
            except (OSError, http.client.HTTPException):
                conn.close()
                ok = False
            latencies.append(time.perf_counter() - t0)  # list.append is atomic under the GIL
            if not ok:
                errors.append(1)
        conn.close()

    workers = [threading.Thread(target=loop) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return {"latencies": latencies, "elapsed": time.monotonic() - start, "errors": len(errors)}


def burst(url, n, timeout=30):
    """`n` requests released together, one fresh connection each; return (status Counter, seconds)."""
    parts = urlsplit(url)
    assert parts.hostname == "127.0.0.1", "loopback only"
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    barrier = threading.Barrier(n)
    statuses, lock = Counter(), threading.Lock()

    def one():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        try:
            conn.connect()
            barrier.wait(timeout)
            conn.request("GET", target)
            response = conn.getresponse()
            response.read()
            outcome = response.status
        except (OSError, http.client.HTTPException, threading.BrokenBarrierError) as exc:
            outcome = type(exc).__name__
        finally:
            conn.close()
        with lock:
            statuses[outcome] += 1

    threads = [threading.Thread(target=one) for _ in range(n)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses, time.monotonic() - start

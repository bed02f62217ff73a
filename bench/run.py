"""`make bench`: the service under gunicorn against the sandbox, each figure against a baseline from the same run.

Starts a throwaway Redis, the sandbox and the service (gunicorn, `gunicorn.conf.py` as in the Procfile,
bound to loopback), then measures, in this order:
  cold      200 concurrent requests to one product on a fresh service and an empty Redis:
            upstream calls per upstream URL (baseline: 1, the single-flight ideal);
  cached    throughput and p50/p99 latency of cached media pages, against bench/baseline_app.py
            serving the same bytes under the same gunicorn settings (rounds interleaved);
  memory    resident memory per gunicorn worker, against the baseline's workers;
  hour      steady traffic against a sandbox with a short max-age: upstream calls per expiry;
  federated a listing mixing Olapic and MomaPIX: cold calls per URL per provider, cached throughput
            and CPU per request (bench/federated.py);
  widget    the carousel's gzipped size and time to first rendered slide in Chromium (bench/widget.py).
Prints a table and writes it to bench/results/latest.md. Every phase is bounded in time.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import datetime, timezone

import psutil
import redis
import requests

from gallery.embedded import start_redis
from tests.support import sandboxes
from tests.support.processes import free_port

from . import federated, load, widget
from .baseline_app import capture

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(ROOT, "bench", "results", "latest.md")
# Olapic's own galleries (providers=olapic): in sandbox mode every source is configured, and a listing
# without providers= mixes them all (bench/federated.py measures that, with the MomaPIX sandbox it starts).
CACHED = [
    ("acme-anvil-50lb", "/api/v1/products/acme-anvil-50lb/media?providers=olapic"),
    ("test-50-media limit=50", "/api/v1/products/test-50-media/media?limit=50&providers=olapic"),
]
COLD = [
    ("acme-anvil-50lb", "/api/v1/products/acme-anvil-50lb/media?providers=olapic"),
    ("test-520-media limit=100", "/api/v1/products/test-520-media/media?limit=100&providers=olapic"),
]
HOUR = "/api/v1/products/acme-anvil-50lb/media?providers=olapic"
TIMEOUT = 30


class Processes:
    """Every process the bench starts, logged under `tmp` and stopped in reverse order."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.procs = []

    def start(self, name, args, env, ready_url, timeout=90):
        with open(os.path.join(self.tmp, f"{name}.log"), "w") as log:
            proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}:\n{self.log(name)[-3000:]}")
            try:
                if requests.get(ready_url, timeout=2).ok:
                    return proc
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{name} did not answer {ready_url} within {timeout}s:\n{self.log(name)[-3000:]}")

    def stop(self, proc):
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs.remove(proc)

    def stop_all(self):
        for proc in reversed(list(self.procs)):
            self.stop(proc)

    def log(self, name):
        with open(os.path.join(self.tmp, f"{name}.log"), errors="replace") as f:
            return f.read()


def start_sandbox(procs, name, max_age=None):
    port = free_port()
    args = [sys.executable, "-m", "sandboxes.olapic", "--port", str(port)]
    if max_age:
        args += ["--max-age", str(max_age)]
    url = f"http://127.0.0.1:{port}"
    return url, procs.start(name, args, dict(os.environ), url + "/_sandbox/catalogue")


def start_gunicorn(procs, name, app_spec, env, workers, ready_path="/healthz"):
    """gunicorn with the Procfile's command and gunicorn.conf.py; only the address is narrowed to loopback."""
    port = free_port()
    args = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{port}", app_spec]
    proc = procs.start(name, args, {**env, "PORT": str(port)}, f"http://127.0.0.1:{port}{ready_path}")
    deadline = time.monotonic() + 60
    while len(gunicorn_workers(proc)) < workers:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name}: fewer than {workers} workers")
        time.sleep(0.1)
    time.sleep(1)  # the last forked worker loads the app
    return f"http://127.0.0.1:{port}", proc


def gunicorn_workers(proc):
    """The master's forked web workers (same command line), not other children such as the upload worker."""
    master = psutil.Process(proc.pid)
    return [child for child in master.children() if child.cmdline() == master.cmdline()]


def service_env(args, redis_url, sandbox_url):
    env = {k: v for k, v in os.environ.items() if k != "OLAPIC_API_KEY"}  # sandbox mode
    env.update(REDIS_URL=redis_url, OLAPIC_API_URL=sandbox_url,
               WEB_CONCURRENCY=str(args.workers), GUNICORN_THREADS=str(args.threads))
    return env


def upstream_log(sandbox):
    """Upstream requests since the last clear: {"GET /path?query": Counter({status: n})}, auth_token left out."""
    entries = sandboxes.requests_log(sandbox)
    calls = defaultdict(Counter)
    for e in entries:
        query = "&".join(f"{k}={v}" for k, v in sorted(e["query"].items()) if k != "auth_token")
        calls[f"{e['method']} {e['path']}" + (f"?{query}" if query else "")][e["status"]] += 1
    return calls


def calls_lines(calls, per=1, unit=""):
    """One detail line per upstream URL: calls (per `unit`), statuses, URL."""
    return [f"    {sum(c.values()) / per:6.{2 if unit else 0}f}{unit}  statuses {dict(c)}  {url}"
            for url, c in sorted(calls.items())]


def clear_upstream_log(sandbox):
    sandboxes.clear_requests(sandbox)


def row(figure, value, baseline, ratio, target, met=None):
    return {"figure": figure, "value": value, "baseline": baseline, "ratio": ratio, "target": target,
            "met": "" if met is None else ("yes" if met else "**no**")}


def phase_cold(args, service, sandbox, redis_client, detail):
    rows = []
    url, proc = service
    for label, path in COLD:
        redis_client.flushdb()
        clear_upstream_log(sandbox)
        workers = gunicorn_workers(proc)
        cpu_before = [sum(w.cpu_times()[:2]) for w in workers]
        statuses, seconds = load.burst(url + path, args.cold_requests)
        cpu = [sum(w.cpu_times()[:2]) - before for w, before in zip(workers, cpu_before)]
        time.sleep(1)  # let any background revalidation land in the log before reading it
        calls = upstream_log(sandbox)
        counts = [sum(c.values()) for c in calls.values()]
        worst = max(counts, default=0)
        detail.append(f"cold {label}: {args.cold_requests} requests in {seconds:.2f}s, statuses {dict(statuses)}; "
                      f"worker CPU seconds {[round(c, 2) for c in cpu]} (near 0: that worker took no part); "
                      f"upstream calls:")
        detail += calls_lines(calls)
        rows.append(row(
            f"upstream calls per URL, {args.cold_requests} cold concurrent requests ({label})",
            f"max {worst} over {len(calls)} URLs ({sum(counts)} calls)", "1",
            f"{worst:.2f}", "1 per URL", worst == 1 and statuses == Counter({200: args.cold_requests}),
        ))
    return rows


def phase_cached(args, service, baseline, detail):
    rows = []
    sides = {"service": service, "baseline": baseline}
    for label, path in CACHED:
        runs = {side: [] for side in sides}
        for side, (url, proc) in sides.items():
            load.steady(url + path, 1, args.connections, args.load)  # warm-up, not counted
        for r in range(args.rounds):  # interleaved, alternating who goes first, so both share the noise
            for side in (["baseline", "service"] if r % 2 == 0 else ["service", "baseline"]):
                url, proc = sides[side]
                runs[side].append(_round(url + path, proc, args))
        s, b = (_median(runs[side]) for side in ("service", "baseline"))
        for side, m in (("service", s), ("baseline", b)):
            detail.append(f"cached {label}, {side} (medians of {args.rounds}): {m['rps']:.0f} req/s, "
                          f"p50 {m['p50_ms']:.2f} ms, p99 {m['p99_ms']:.2f} ms, {m['cpu_us']:.0f} us CPU/request, "
                          f"{m['errors']} errors; req/s by round {[round(x['rps']) for x in runs[side]]}")
        rows += [
            _ratio_row(f"cached throughput, req/s ({label})", s["rps"], b["rps"], s["rps"] / b["rps"], "{:.0f}",
                       s["errors"] == 0),
            _ratio_row(f"cached p50 latency, ms ({label})", s["p50_ms"], b["p50_ms"], b["p50_ms"] / s["p50_ms"]),
            _ratio_row(f"cached p99 latency, ms ({label})", s["p99_ms"], b["p99_ms"], b["p99_ms"] / s["p99_ms"]),
            _ratio_row(f"worker CPU per request, us ({label})", s["cpu_us"], b["cpu_us"], b["cpu_us"] / s["cpu_us"],
                       "{:.0f}"),
        ]
    return rows


def _round(url, gunicorn_proc, args):
    """One load round, plus the CPU time the workers spent on it (steadier than wall clock on a busy box)."""
    workers = gunicorn_workers(gunicorn_proc)
    cpu_before = sum(sum(w.cpu_times()[:2]) for w in workers)
    result = load.steady(url, args.seconds, args.connections, args.load)
    cpu = sum(sum(w.cpu_times()[:2]) for w in workers) - cpu_before
    return {**result, "cpu_us": cpu / max(result["requests"], 1) * 1e6}


def _median(results):
    """Per-figure medians over the rounds: one round where gthread's accept left a worker idle
    (it happens: keep-alive connections stay with the worker that accepted them) cannot swing it."""
    merged = {key: statistics.median(r[key] for r in results) for key in ("rps", "p50_ms", "p99_ms", "cpu_us")}
    return {**merged, "errors": sum(r["errors"] for r in results)}


def _ratio_row(figure, service, baseline, ratio, fmt="{:.2f}", ok=True):
    """Ratios are "fraction of the ceiling": service/baseline for throughput, baseline/service for costs."""
    return row(figure, fmt.format(service), fmt.format(baseline), f"{ratio:.2f}", ">= 0.8", ok and ratio >= 0.8)


def phase_memory(service_proc, baseline_proc, detail):
    def rss_mb(master):
        return [w.memory_info().rss / 2**20 for w in gunicorn_workers(master)]

    s, b = rss_mb(service_proc), rss_mb(baseline_proc)
    detail.append(f"worker RSS MB: service {[round(x, 1) for x in s]}, baseline {[round(x, 1) for x in b]}")
    mean_s, mean_b = sum(s) / len(s), sum(b) / len(b)
    return [row("resident memory per worker, MB", f"{mean_s:.1f}", f"{mean_b:.1f}", f"{mean_s / mean_b:.2f}",
                "report")]


def phase_hour(args, procs, redis_url, detail):
    """The same window at one connection and at full load: upstream calls must not follow traffic."""
    sandbox, sandbox_proc = start_sandbox(procs, "sandbox-hour", max_age=args.max_age)
    service, service_proc = start_gunicorn(procs, "service-hour", "app:create_app()",
                                           service_env(args, redis_url, sandbox), args.workers)
    expiries = args.hour_seconds / args.max_age
    rows = []
    try:
        _get_ok(service + HOUR)  # the initial fetch, outside the window
        for connections in sorted({1, args.connections}):
            clear_upstream_log(sandbox)
            result = load.steady(service + HOUR, args.hour_seconds, connections, args.load)
            calls = upstream_log(sandbox)
            worst = max((sum(c.values()) for c in calls.values()), default=0) / expiries
            detail.append(f"hour, {connections} connection(s): {result['requests']} requests over "
                          f"{args.hour_seconds}s at max-age {args.max_age}s ({expiries:.0f} expiries, "
                          f"{result['rps']:.0f} req/s, {result['errors']} errors); upstream calls per expiry:")
            detail += calls_lines(calls, expiries, "/expiry")
            rows.append(row(
                f"upstream calls per expiry per URL, {args.hour_seconds}s of steady traffic at "
                f"{result['rps']:.0f} req/s, max-age {args.max_age}s",
                f"max {worst:.2f} over {len(calls)} URLs", "1", f"{worst:.2f}", "1 per expiry",
                worst <= 1 + args.max_age / args.hour_seconds and result["errors"] == 0,
            ))
    finally:
        procs.stop(service_proc)
        procs.stop(sandbox_proc)
    return rows


def table(rows):
    lines = ["| figure | service | baseline | ratio | target | met |", "|---|---|---|---|---|---|"]
    lines += [f"| {r['figure']} | {r['value']} | {r['baseline']} | {r['ratio']} | {r['target']} | {r['met']} |"
              for r in rows]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=3, help="length of one cached-load round (default 3)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per side for cached load (default 5)")
    parser.add_argument("--connections", type=int, default=16, help="load connections (default 16)")
    parser.add_argument("--cold-requests", type=int, default=200)
    parser.add_argument("--max-age", type=int, default=2, help="sandbox max-age for the hour (default 2 s)")
    parser.add_argument("--hour-seconds", type=int, default=24, help="length of the simulated hour (default 24 s)")
    parser.add_argument("--load", choices=["wrk", "python"], default=load.DEFAULT_GENERATOR,
                        help=f"load generator (default here: {load.DEFAULT_GENERATOR})")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("GUNICORN_THREADS", "8")))
    args = parser.parse_args(argv)

    started, load_average = time.monotonic(), os.getloadavg()[0]
    rows, detail = [], []
    with tempfile.TemporaryDirectory(prefix="gallery-bench-") as tmp:
        procs = Processes(tmp)
        redis_url = start_redis(os.path.join(tmp, "redis"))
        redis_client = redis.Redis.from_url(redis_url)
        try:
            sandbox, _ = start_sandbox(procs, "sandbox")
            env = service_env(args, redis_url, sandbox)
            service, service_proc = start_gunicorn(procs, "service", "app:create_app()", env, args.workers)

            print("cold: concurrent requests on a fresh service", flush=True)
            rows += phase_cold(args, (service, service_proc), sandbox, redis_client, detail)

            captured_path = os.path.join(tmp, "captured.json")
            with open(captured_path, "w") as f:
                json.dump({path: capture(_get_ok(service + path)) for _, path in CACHED}, f)
            # Not in sandbox mode, so its master starts no upload worker beside it (the baseline never
            # calls the upstream: the key is a placeholder).
            baseline_env = {**env, "BENCH_CAPTURED": captured_path, "OLAPIC_API_KEY": "no-upstream-calls"}
            baseline, baseline_proc = start_gunicorn(
                procs, "baseline", "bench.baseline_app:create_app()", baseline_env, args.workers,
                ready_path=CACHED[0][1])
            print("cached: service and baseline, interleaved", flush=True)
            rows += phase_cached(args, (service, service_proc), (baseline, baseline_proc), detail)
            rows += phase_memory(service_proc, baseline_proc, detail)

            print("hour: steady traffic against a short max-age", flush=True)
            rows += phase_hour(args, procs, redis_url, detail)
            print("federated: a listing mixing Olapic and MomaPIX", flush=True)
            rows += federated.figures(args, procs, redis_url, redis_client, sandbox, tmp, detail)
            rows += widget.figures(service)
            tracebacks = sum(procs.log(name).count("Traceback") for name in ("service", "service-hour"))
            if tracebacks:
                detail.append(f"service logs: {tracebacks} tracebacks")
        finally:
            procs.stop_all()
            redis_client.shutdown(nosave=True)  # before its directory goes

    header = (f"gallery bench, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores "
              f"(load average {load_average:.1f} at start), {platform.python_implementation()} "
              f"{platform.python_version()}; gunicorn gthread {args.workers} workers x {args.threads} threads; load: {args.load}, {args.connections} "
              f"connections, {args.rounds} x {args.seconds}s rounds per side; took {time.monotonic() - started:.0f}s")
    report = "\n".join([header, "", table(rows), "", "```", *detail, "```", ""])
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "w") as f:
        f.write(report)
    print()
    print(report)
    print(f"written to {os.path.relpath(RESULTS, ROOT)}")


def _get_ok(url):
    response = requests.get(url, timeout=TIMEOUT)
    response.raise_for_status()
    return response


if __name__ == "__main__":
    main()

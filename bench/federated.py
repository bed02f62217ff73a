"""The federated figures of `make bench` (called by bench/run.py after its own phases).

A service of its own, for the Olapic sandbox of the run and a MomaPIX sandbox started here, answers
listings that mix both (the default: no `providers=`). Two figures, as the single-provider ones:
  cold     200 concurrent requests on an empty Redis: upstream calls per URL, at each provider
           (baseline: 1, the single-flight ideal; a login counts as a URL);
  cached   throughput and worker CPU per request of the cached federated page, against
           bench/baseline_app.py serving its bytes under the same gunicorn settings.
"""
import json
import os
import sys
from collections import Counter

from tests.support.processes import free_port

from . import load, run  # run imports this module: its names are read when the figures run
from .baseline_app import capture

CACHED = ("acme-anvil-50lb, olapic + momapix", "/api/v1/products/acme-anvil-50lb/media")
COLD = [
    ("acme-anvil-50lb, olapic + momapix", "/api/v1/products/acme-anvil-50lb/media"),
    ("test-520-media limit=100, olapic + momapix", "/api/v1/products/test-520-media/media?limit=100"),
]


def figures(args, procs, redis_url, redis_client, olapic_sandbox, tmp, detail):
    """The federated rows; every process it starts is stopped before it returns."""
    port = free_port()
    momapix = f"http://127.0.0.1:{port}"
    started = [procs.start("sandbox-momapix", [sys.executable, "-m", "sandboxes.momapix", "--port", str(port)],
                           dict(os.environ), momapix + "/_sandbox/catalogue")]
    try:
        env = {**run.service_env(args, redis_url, olapic_sandbox), "MOMAPIX_API_URL": momapix}
        service, service_proc = run.start_gunicorn(procs, "service-federated", "app:create_app()", env, args.workers)
        started.append(service_proc)
        sandboxes = {"olapic": olapic_sandbox, "momapix": momapix}
        rows = [_cold(args, service, service_proc, sandboxes, redis_client, label, path, detail)
                for label, path in COLD]
        captured = os.path.join(tmp, "captured-federated.json")
        with open(captured, "w") as f:
            json.dump({CACHED[1]: capture(run._get_ok(service + CACHED[1]))}, f)
        baseline_env = {**env, "BENCH_CAPTURED": captured, "OLAPIC_API_KEY": "no-upstream-calls"}
        baseline, baseline_proc = run.start_gunicorn(procs, "baseline-federated", "bench.baseline_app:create_app()",
                                                 baseline_env, args.workers, ready_path=CACHED[1])
        started.append(baseline_proc)
        rows += _cached(args, (service, service_proc), (baseline, baseline_proc), detail)
        return rows
    finally:
        for proc in reversed(started):
            procs.stop(proc)


def _cold(args, service, service_proc, sandboxes, redis_client, label, path, detail):
    redis_client.flushdb()
    for url in sandboxes.values():
        run.clear_upstream_log(url)
    workers = run.gunicorn_workers(service_proc)
    cpu_before = [sum(w.cpu_times()[:2]) for w in workers]
    statuses, seconds = load.burst(service + path, args.cold_requests)
    cpu = [sum(w.cpu_times()[:2]) - before for w, before in zip(workers, cpu_before)]
    detail.append(f"cold federated {label}: {args.cold_requests} requests in {seconds:.2f}s, statuses "
                  f"{dict(statuses)}; worker CPU seconds {[round(c, 2) for c in cpu]}; upstream calls:")
    worst, per_provider = 0, []
    for name, url in sandboxes.items():
        calls = run.upstream_log(url)
        counts = [sum(c.values()) for c in calls.values()]
        worst = max([worst, *counts])
        per_provider.append(f"{name} max {max(counts, default=0)} over {len(calls)} URLs")
        detail.append(f"  {name}:")
        detail += run.calls_lines(calls)
    return run.row(f"upstream calls per URL per provider, {args.cold_requests} cold concurrent federated requests "
               f"({label})", "; ".join(per_provider), "1", f"{worst:.2f}", "1 per URL",
               worst == 1 and statuses == Counter({200: args.cold_requests}))


def _cached(args, service, baseline, detail):
    label, path = CACHED
    sides = {"service": service, "baseline": baseline}
    runs = {side: [] for side in sides}
    for url, _ in sides.values():
        load.steady(url + path, 1, args.connections, args.load)  # warm-up, not counted
    for r in range(args.rounds):  # interleaved, alternating who goes first, as bench/run.py does
        for side in (["baseline", "service"] if r % 2 == 0 else ["service", "baseline"]):
            url, proc = sides[side]
            runs[side].append(run._round(url + path, proc, args))
    s, b = (run._median(runs[side]) for side in ("service", "baseline"))
    for side, m in (("service", s), ("baseline", b)):
        detail.append(f"cached federated {label}, {side} (medians of {args.rounds}): {m['rps']:.0f} req/s, "
                      f"{m['cpu_us']:.0f} us CPU/request, {m['errors']} errors; "
                      f"req/s by round {[round(x['rps']) for x in runs[side]]}")
    return [
        run._ratio_row(f"cached federated throughput, req/s ({label})", s["rps"], b["rps"], s["rps"] / b["rps"],
                   "{:.0f}", s["errors"] == 0),
        run._ratio_row(f"worker CPU per request, us (federated, {label})", s["cpu_us"], b["cpu_us"],
                   b["cpu_us"] / s["cpu_us"], "{:.0f}"),
    ]

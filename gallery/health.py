"""Liveness and readiness."""
import redis
from flask import Blueprint, current_app

from .extensions import get_redis, get_registry

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}


def _redis_state():
    try:
        get_redis().ping()
        return "ok"
    except redis.RedisError:
        return "down"


NEAR_LIMIT = 0.9  # of maxmemory: past it, writes will soon fail (noeviction) or evict (the cache)


def _memory_state():
    """"near_limit" when the main or the cache Redis uses 90 % of its maxmemory, else "ok"."""
    servers = {id(r): r for r in (current_app.extensions["redis"], current_app.extensions["cache_redis"])}
    for r in servers.values():
        try:
            memory = r.info("memory")
        except redis.RedisError:
            continue  # reported as redis: down
        limit = int(memory.get("maxmemory") or 0)
        if limit and int(memory["used_memory"]) >= NEAR_LIMIT * limit:
            return "near_limit"
    return "ok"


@bp.get("/readyz")
def readyz():
    # Always 200 while we can answer: with Redis or an upstream down we still serve (degraded),
    # and taking every instance out of rotation would turn an outage into a blackout.
    # A provider is ready when its probe's checks (Olapic: the key, the customer, a followable media
    # listing) all pass; "upstream" is the first that is not, for clients that know one upstream.
    health = {source.name: source.probe() for source in get_registry()}
    failing = next((h for h in health.values() if h.status != "ok"), None)
    checks = {"redis": _redis_state(), "redis_memory": _memory_state(), "upstream": failing.status if failing else "ok"}
    status = "ok" if all(v == "ok" for v in checks.values()) else "degraded"
    body = {"status": status, "sandbox_mode": current_app.config["SANDBOX_MODE"], **checks,
            "providers": {name: h.status for name, h in health.items()}}
    if failing:
        body["upstream_detail"] = next((c.message for c in failing.checks if not c.ok), failing.status)
    return body

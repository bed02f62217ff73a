"""Liveness and readiness."""
import redis
from flask import Blueprint, current_app

from .extensions import get_olapic, get_redis
from .olapic import OlapicSource

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
    # Always 200 while we can answer: with Redis or the upstream down we still serve (degraded),
    # and taking every instance out of rotation would turn an outage into a blackout.
    # The upstream is ready when the key, the customer and a followable media listing all check out.
    upstream, detail = OlapicSource(get_olapic(), current_app.config["OLAPIC_CUSTOMER_ID"], memo_size=0).readiness()
    checks = {"redis": _redis_state(), "redis_memory": _memory_state(), "upstream": upstream}
    status = "ok" if all(v == "ok" for v in checks.values()) else "degraded"
    body = {"status": status, "sandbox_mode": current_app.config["SANDBOX_MODE"], **checks}
    if upstream != "ok":
        body["upstream_detail"] = detail
    return body

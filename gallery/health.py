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


@bp.get("/readyz")
def readyz():
    # Always 200 while we can answer: with Redis or an upstream down we still serve (degraded),
    # and taking every instance out of rotation would turn an outage into a blackout.
    providers = {source.name: source.probe().status for source in get_registry()}
    worst = next((state for state in providers.values() if state != "ok"), "ok")
    checks = {"redis": _redis_state(), "upstream": worst}
    status = "ok" if all(v == "ok" for v in checks.values()) else "degraded"
    return {"status": status, "sandbox_mode": current_app.config["SANDBOX_MODE"], **checks, "providers": providers}

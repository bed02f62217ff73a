"""Liveness and readiness."""
import redis
import requests
from flask import Blueprint, current_app

from .extensions import get_redis

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


def _upstream_state():
    config = current_app.config
    try:
        response = requests.get(
            config["OLAPIC_API_URL"] + "/",
            params={"version": "v2.2", "auth_token": config["OLAPIC_API_KEY"]},
            timeout=(config["UPSTREAM_CONNECT_TIMEOUT"], config["UPSTREAM_READ_TIMEOUT"]),
        )
        return "ok" if response.ok else f"http {response.status_code}"
    except requests.RequestException as exc:
        return type(exc).__name__


@bp.get("/readyz")
def readyz():
    # Always 200 while we can answer: with Redis or the upstream down we still serve (degraded),
    # and taking every instance out of rotation would turn an outage into a blackout.
    checks = {"redis": _redis_state(), "upstream": _upstream_state()}
    status = "ok" if all(v == "ok" for v in checks.values()) else "degraded"
    return {"status": status, "sandbox_mode": current_app.config["SANDBOX_MODE"], **checks}

"""Injected faults: latency, error statuses, malformed or truncated bodies and dropped connections
(before the request is handled, or after: its effects applied, its answer never sent)."""
import socket
import time

from flask import Response, current_app, g, request

BODIES = ("malformed", "truncated")
MALFORMED_BODY = b"<html><body><h1>502 Bad Gateway</h1><p>upstream sent an invalid response</p></body></html>"


class FaultSpecError(ValueError):
    pass


def _number(spec: dict, key: str, kind, low: float, allow_zero: bool = True):
    value = spec.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, kind) or value < low or (value == low and not allow_zero):
        raise FaultSpecError(f'"{key}" must be a number {">=" if allow_zero else ">"} {low}')
    return value


def parse(spec) -> dict:
    """Validate an operator's fault spec into the stored form."""
    if not isinstance(spec, dict):
        raise FaultSpecError("the body must be a JSON object")
    prefix = spec.get("path_prefix")
    if not isinstance(prefix, str) or not prefix.startswith("/"):
        raise FaultSpecError('"path_prefix" must be a path starting with "/"')
    status = _number(spec, "status", int, 100)
    if status is not None and status > 599:
        raise FaultSpecError('"status" must be an HTTP status (100-599)')
    body = spec.get("body")
    if body is not None and body not in BODIES:
        raise FaultSpecError('"body" must be "malformed" or "truncated"')
    drop = spec.get("drop", False)
    if not (isinstance(drop, bool) or drop == "after"):
        raise FaultSpecError('"drop" must be true, false or "after"')
    headers = spec.get("headers", {})
    if not isinstance(headers, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in headers.items()):
        raise FaultSpecError('"headers" must be an object of header names to string values')
    unknown = set(spec) - {"path_prefix", "status", "latency", "body", "drop", "count", "duration", "headers"}
    if unknown:
        raise FaultSpecError(f"unknown keys: {', '.join(sorted(unknown))}")
    return {"path_prefix": prefix, "status": status, "latency": _number(spec, "latency", (int, float), 0),
            "body": body, "drop": drop, "headers": headers, "count": _number(spec, "count", int, 0, allow_zero=False),
            "duration": _number(spec, "duration", (int, float), 0, allow_zero=False)}


def add(sb, spec) -> dict:
    fault = parse(spec)
    with sb.lock:
        fault["created"] = sb.clock.now()
        sb.faults.append(fault)
    return public(sb, fault)


def public(sb, fault: dict) -> dict:
    out = {k: v for k, v in fault.items() if k != "created"}
    if fault["duration"] is not None:
        out["expires"] = sb.clock.iso(fault["created"] + fault["duration"])
    return out


def active(sb) -> list[dict]:
    """Forget faults whose count or duration ran out, and return the rest."""
    now = sb.clock.now()
    with sb.lock:
        sb.faults = [f for f in sb.faults if (f["count"] is None or f["count"] > 0)
                     and (f["duration"] is None or now < f["created"] + f["duration"])]
        return list(sb.faults)


def take(sb, path: str) -> list[dict]:
    """The faults that hit this request; each hit uses one of its count."""
    hits = [f for f in active(sb) if path.startswith(f["path_prefix"])]
    with sb.lock:
        for f in hits:
            if f["count"] is not None:
                f["count"] -= 1
    return hits


def apply(error_response):
    """before_request hook: sleep, then answer for the API if a fault says so. `error_response(status,
    message)` is the sandbox's own error shape; a fault's `headers` go on whatever is answered."""
    sb = current_app.extensions["sandbox"]
    hits = take(sb, request.path)
    if not hits:
        return None
    g.fault_headers = {k: v for f in hits for k, v in f["headers"].items()}
    time.sleep(sum(f["latency"] or 0 for f in hits))
    if any(f["drop"] is True for f in hits):
        g.fault_dropped = True
        return _dropped()
    if any(f["drop"] == "after" for f in hits):  # handled as usual; finish() drops the answer
        g.fault_dropped = g.fault_drop_after = True
        return None
    body = next((f["body"] for f in hits if f["body"]), None)
    status = next((f["status"] for f in hits if f["status"]), None)
    g.fault_truncate = body == "truncated"
    if body == "malformed":
        return Response(MALFORMED_BODY, status or 200, content_type="application/json")
    if status is not None:
        response = error_response(status, "Fault injected by the sandbox operator.")
        response.headers["Cache-Control"] = "no-store"
        return response
    return None


def _dropped() -> Response:
    """A response whose body closes the socket and raises, so the server aborts without answering."""
    sock = request.environ.get("werkzeug.socket")

    def body():
        if sock is not None:
            sock.shutdown(socket.SHUT_RDWR)
        raise ConnectionAbortedError("connection dropped by a sandbox fault")
        yield b""  # makes this a generator: nothing runs until the server starts writing

    return Response(body())


def finish(response: Response) -> Response:
    """after_request: add the faults' headers; for a truncated body, announce the whole body's length
    but send only its first half (the server then closes); a `drop: "after"` answers nothing at all."""
    if g.get("fault_drop_after"):
        return _dropped()
    response.headers.update(g.get("fault_headers") or {})
    if g.get("fault_truncate") and not response.is_streamed:
        data = response.get_data()
        if data:
            response.set_data(data[: len(data) // 2])
            response.headers["Content-Length"] = str(len(data))
    return response

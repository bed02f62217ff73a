"""The operator endpoints every sandbox has under /_sandbox/ (no key, never logged): reset, requests,
clock and faults. A sandbox adds its own `catalogue` and `moderation` routes to the blueprint it gets."""
from flask import Blueprint, current_app, jsonify, request

from . import faults

PREFIX = "/_sandbox"


def sandbox():
    return current_app.extensions["sandbox"]


def problem(status: int, message: str):
    response = jsonify({"error": message})
    response.status_code = status
    return response


def blueprint() -> Blueprint:
    bp = Blueprint("operator", __name__, url_prefix=PREFIX)

    @bp.post("/reset")
    def reset():
        sandbox().reset()
        return jsonify({"reset": True})

    @bp.get("/requests")
    def requests_log():
        prefix = request.args.get("path_prefix", "")
        with sandbox().lock:
            entries = [e for e in sandbox().requests if e["path"].startswith(prefix)]
        return jsonify({"requests": entries})

    @bp.delete("/requests")
    def clear_requests():
        with sandbox().lock:
            sandbox().requests = []
        return jsonify({"requests": []})

    @bp.route("/clock", methods=["GET", "POST"])
    def clock():
        sb = sandbox()
        if request.method == "POST":
            body = request.get_json(silent=True)
            advance = body.get("advance") if isinstance(body, dict) else None
            if isinstance(advance, bool) or not isinstance(advance, (int, float)):
                return problem(400, 'send {"advance": seconds}')
            with sb.lock:
                sb.clock.offset += advance
        return jsonify({"now": sb.clock.iso(), "offset": sb.clock.offset})

    @bp.get("/faults")
    def list_faults():
        sb = sandbox()
        return jsonify({"faults": [faults.public(sb, f) for f in faults.active(sb)]})

    @bp.post("/faults")
    def add_fault():
        try:
            fault = faults.add(sandbox(), request.get_json(silent=True))
        except faults.FaultSpecError as e:
            return problem(400, str(e))
        response = jsonify(fault)
        response.status_code = 201
        return response

    @bp.delete("/faults")
    def clear_faults():
        with sandbox().lock:
            sandbox().faults = []
        return jsonify({"faults": []})

    return bp

"""Error answers. The documents give no error body; the sandbox uses the one Mediagraph's own client
reads, `{"error": "...", "message": "..."}` (docs/sandbox.md)."""
from flask import Response, jsonify


class ApiError(Exception):
    def __init__(self, status: int, error: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.headers = headers or {}


def error_response(status: int, error: str, message: str, headers: dict | None = None) -> Response:
    response = jsonify({"error": error, "message": message})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def unauthorized(message: str, headers: dict | None = None) -> ApiError:
    return ApiError(401, "unauthorized", message, headers)


def bad_request(param: str, message: str) -> ApiError:
    return ApiError(400, "bad_request", f"{param}: {message}")


def not_found(kind: str, ref) -> ApiError:
    return ApiError(404, "not_found", f"Couldn't find {kind} with 'id'={ref}")


def unprocessable(message: str) -> ApiError:
    return ApiError(422, "unprocessable_entity", message)


def s3_error(status: int, code: str, message: str) -> Response:
    """Amazon S3's XML error document, as a presigned PUT gets it."""
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message>'
            f"<RequestId>SANDBOX</RequestId></Error>")
    response = Response(body, status, content_type="application/xml")
    response.headers["Cache-Control"] = "no-store"
    return response

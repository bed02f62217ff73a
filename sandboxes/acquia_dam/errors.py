"""One error shape for every API error (the document gives none): OAuth2's {"error", "error_description"}."""
from flask import jsonify

CODES = {400: "invalid_request", 401: "invalid_token", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 429: "too_many_requests"}


class ApiError(Exception):
    def __init__(self, status: int, description: str, error: str | None = None, headers: dict | None = None):
        super().__init__(description)
        self.status, self.description, self.headers = status, description, headers or {}
        self.error = error or CODES.get(status, "server_error")


def error_response(status: int, message: str, error: str | None = None, headers: dict | None = None):
    response = jsonify({"error": error or CODES.get(status, "server_error"), "error_description": message})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def bad(param: str, expected: str) -> ApiError:
    return ApiError(400, f'Invalid value for "{param}": expected {expected}.')


def missing(param: str) -> ApiError:
    return ApiError(400, f'The parameter "{param}" is required.')


def not_found(entity: str, entity_id: str) -> ApiError:
    return ApiError(404, f"{entity} {entity_id} was not found.")

"""The Olapic error envelope and the reference's error messages."""
from http import HTTPStatus

from flask import jsonify, request

VERSION = "v2.2"
# What the real API answers besides v2.2 (clients send these, or no version at all, or only an Accept header).
REAL_VERSIONS = {None, "2.2", "v2.1", "2.1"}


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def missing(param: str) -> ApiError:
    return ApiError(400, f'The parameter "{param}" is missing.')


def invalid_type(param: str, sent: str, expected: str) -> ApiError:
    return ApiError(400, f'The parameter "{param}" received an invalid type "{sent}", expected was "{expected}".')


def invalid_value(param: str, value: str, expected: str) -> ApiError:
    return ApiError(400, f'The parameter "{param}" received an invalid value "{value}", expected was "{expected}".')


def bad_charset(param: str) -> ApiError:
    return ApiError(400, f'There were an issue trying to identify the charset of the parameter "{param}".')


def invalid_file() -> ApiError:
    return ApiError(400, "An error was thrown while uploading the file: 'Invalid media file type.'")


def invalid_credentials() -> ApiError:
    return ApiError(401, "Invalid Credentials.")


def forbidden() -> ApiError:
    return ApiError(403, "The authenticated customer is not allowed to access the selected resource.")


def not_found(entity: str, entity_id: str) -> ApiError:
    return ApiError(404, f"No entity of type {entity} was found with id {entity_id}.")


def inactive(entity: str, entity_id: str) -> ApiError:
    return ApiError(404, f"The requested entity {entity} with the id {entity_id} is inactive.")


def no_pagination() -> ApiError:
    return ApiError(404, "No pagination found.")


def envelope(status: int, data=None) -> dict:
    body = {"metadata": {"code": status, "message": HTTPStatus(status).phrase, "version": VERSION}}
    if data is not None:
        body["data"] = data
    return body


def error_response(status: int, message: str):
    """The error envelope; `wrap_responses=1` turns it into a 200 carrying the real code."""
    wrapped = request.args.get("wrap_responses") == "1"
    response = jsonify(envelope(status, {"message": message}))
    response.status_code = 200 if wrapped else status
    if not wrapped:
        response.headers["Cache-Control"] = "no-store"
    return response

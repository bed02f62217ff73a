"""Source errors as API errors: one mapping, shared by /api/v1 and the /olapic proxy."""
from contextlib import contextmanager

from ..errors import ApiError
from ..media.models import InvalidState, NotFound, PaginationExpired, UpstreamError
from .caching import NOT_FOUND_MAX_AGE

_UPSTREAM = {
    "timeout": (504, "upstream_timeout", "The gallery provider did not answer in time."),
    "unavailable": (503, "upstream_unavailable", "The gallery provider is unavailable."),
    "bad_response": (502, "upstream_bad_response", "The gallery provider answered something unusable."),
    "rate_limited": (429, "rate_limited", "Too many requests for galleries not in the cache. Try again shortly."),
}
RETRY_AFTER = 5  # seconds, when the source does not know better


def upstream_error(exc):
    status, code, message = _UPSTREAM.get(exc.kind, _UPSTREAM["unavailable"])
    headers = {}
    if status in (429, 503, 504):
        headers["Retry-After"] = str(exc.retry_after or RETRY_AFTER)
    return ApiError(status, code, message, headers=headers)


@contextmanager
def source_errors(not_found_code):
    """Turn what a source raises into the documented status and code (`not_found_code`: product_not_found…)."""
    try:
        yield
    except NotFound:
        what = not_found_code.split("_")[0]
        raise ApiError(404, not_found_code, f"No such {what}, or it is not active.",
                       headers={"Cache-Control": f"public, max-age={NOT_FOUND_MAX_AGE}"}) from None
    except PaginationExpired:
        raise ApiError(410, "cursor_expired", "This cursor expired: start again from the first page.",
                       field="cursor") from None
    except InvalidState:
        raise ApiError(400, "invalid_cursor", "This cursor was altered or not made by this service.",
                       field="cursor") from None
    except UpstreamError as exc:
        raise upstream_error(exc) from None

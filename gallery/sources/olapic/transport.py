"""The transport to the Olapic API that alone knows the key: it adds auth_token to a copy of each
request, strips it from every body that comes back, and refuses bodies that are not Olapic's JSON
envelope (and wrapped server errors), so that none is ever cached."""
import json
import re

from ...upstream.errors import BadResponse, ServerError
from ...upstream.transport import CredentialTransport

_TOKEN_PARAM = re.compile(rb"([?&])auth_token=[^&\"'\s<>#\\]*(&?)")


def _strip_token_param(match):
    separator, follower = match.group(1), match.group(2)
    return separator if follower else b""  # keep "?" or "&" only when another parameter follows


def redact(data):
    """`data` (bytes or str) with every auth_token query parameter removed."""
    if isinstance(data, str):
        return _TOKEN_PARAM.sub(_strip_token_param, data.encode()).decode()
    return _TOKEN_PARAM.sub(_strip_token_param, data)


class OlapicTransport(CredentialTransport):
    def __init__(self, api_url, api_key, pool_size=16):
        super().__init__(api_url, pool_size)
        self._api_key = api_key

    def authorize(self, request):
        request.prepare_url(request.url, {"auth_token": self._api_key})

    def redact(self, data):
        return redact(data)

    def check(self, response):
        try:
            code = int(json.loads(response.content)["metadata"]["code"])
        except (ValueError, TypeError, KeyError) as exc:
            raise BadResponse(f"upstream answered {response.status_code} with a body that is not Olapic JSON "
                              f"({exc})") from None
        if code >= 500:  # a wrapped server error
            raise ServerError(f"upstream answered {code}", response=response, status=code)

    def status(self, response, body):
        return int(body["metadata"]["code"])  # checked above: wrapped answers keep their own status

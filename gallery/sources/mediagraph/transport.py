"""The transport to Mediagraph that alone holds its credentials: the personal access token, sent as
HTTP Basic with an empty user (`curl -u :TOKEN`), and the OrganizationId header.

What comes back is cleaned here, before the cache, the callers or a log can see it: the token is
redacted, and the storage credentials of upload answers (aws_key, ftp_password...) are removed.
A 401 or 403, and any answer with X-PAT-Disabled, is a credentials failure (never an answer, so never
cached as "not found"); the disabled token's note is logged and kept for the probe. Rails' own
Cache-Control (max-age=0, private, must-revalidate) is dropped, so the cache uses our freshness.
"""
import base64
import json
import logging

from ...media import observe
from ...upstream.errors import BadResponse, CredentialsRefused
from ...upstream.transport import CredentialTransport

log = logging.getLogger(__name__)

REDACTED = b"[redacted]"
# Keys of upload answers that hold storage credentials: removed wherever they appear.
STORAGE_SECRETS = ("aws_key", "aws_secret", "aws_secret_key", "aws_session_token", "ftp_username",
                   "ftp_password", "ftp_url", "bucket", "secret_access_key", "session_token")
USER_SPECIFIC = ("/api/whoami",)  # "besides User specifics": no OrganizationId


class MediagraphTransport(CredentialTransport):
    def __init__(self, api_url, token, organization_id, pool_size=16):
        super().__init__(api_url, pool_size)
        self._basic = "Basic " + base64.b64encode(f":{token}".encode()).decode()
        self._organization = str(organization_id)
        self._secrets = [s.encode() for s in (token, self._basic.split(" ", 1)[1]) if s]
        self.disabled_note = None  # X-PAT-Disabled-Note of the last refusal, None once answered again

    def authorize(self, request):
        request.headers["Authorization"] = self._basic
        if not request.path_url.startswith(USER_SPECIFIC):
            request.headers["OrganizationId"] = self._organization
        request.headers["Accept"] = "application/json"

    def send(self, request, **kwargs):
        response = super().send(request, **kwargs)
        if response.status_code == 200:
            self.disabled_note = None
            response.headers.pop("Cache-Control", None)  # Rails' max-age=0: our expire_after decides
        return response

    def redact(self, data):
        text = data.encode() if isinstance(data, str) else data
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        if any(f'"{key}"'.encode() in text for key in STORAGE_SECRETS):
            text = _without_storage_secrets(text)
        return text.decode() if isinstance(data, str) else text

    def check(self, response):
        disabled = response.headers.get("X-PAT-Disabled")
        if disabled and disabled.strip() not in ("", "0", "false"):
            self.disabled_note = (response.headers.get("X-PAT-Disabled-Note") or "no note")[:200]
            observe.count("mediagraph_token_disabled_total")
            log.error("mediagraph: the personal access token is disabled (X-PAT-Disabled-Note: %s)",
                      self.disabled_note)
            raise CredentialsRefused(f"Mediagraph disabled the token: {self.disabled_note}", response=response)
        if response.status_code in (401, 403):
            observe.count("mediagraph_credentials_refused_total")
            log.error("mediagraph: the token or OrganizationId was refused (%s)", response.status_code)
            raise CredentialsRefused(f"Mediagraph refused the token ({response.status_code})", response=response)
        if response.status_code == 204 or not response.content:
            return
        try:
            json.loads(response.content)
        except ValueError:
            raise BadResponse(f"Mediagraph answered {response.status_code} with a body that is not JSON") from None


def _without_storage_secrets(raw):
    """The JSON body without any STORAGE_SECRETS key; a body that is not JSON loses everything."""
    try:
        body = json.loads(raw)
    except ValueError:
        return b""

    def clean(value):
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if k not in STORAGE_SECRETS}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    return json.dumps(clean(body)).encode()

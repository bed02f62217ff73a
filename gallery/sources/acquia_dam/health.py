"""Acquia DAM's health probe (for /readyz and `gallery check`): the token grant and the seat, through
the transport that holds them, past every cache."""
from ...media.ports import Check, Health
from ...upstream import probe


class AcquiaDamProbe:
    def __init__(self, client, api_url):
        self._client, self._url = client, api_url

    def __call__(self):
        _, failed = probe.ask(
            self._client, "/users/me", upstream="Acquia DAM", url=self._url, expected="JSON",
            credentials="Acquia DAM refused the API seat: check ACQUIA_DAM_CLIENT_ID, ACQUIA_DAM_CLIENT_SECRET, "
                        "ACQUIA_DAM_USERNAME and ACQUIA_DAM_PASSWORD.",
            hint="is ACQUIA_DAM_API_URL the REST API v2 (Acquia DAM Classic, apiv2.webdamdb.com)?")
        return failed or Health("ok", [Check("credentials", True, "the API seat has a token and can read its account")])

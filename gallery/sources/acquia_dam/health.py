"""Acquia DAM's health probe (for /readyz and `gallery check`): the token grant and the seat, through
the transport that holds them, past every cache."""
from ...media.models import UpstreamError
from ...media.ports import Check, Health


class AcquiaDamProbe:
    def __init__(self, client, api_url):
        self._client, self._url = client, api_url

    def __call__(self):
        try:
            answer = self._client.get_uncached("/users/me")
        except UpstreamError as exc:
            if exc.kind == "credentials":
                return Health("credentials", [Check("credentials", False,
                              "Acquia DAM refused the API seat: check ACQUIA_DAM_CLIENT_ID, ACQUIA_DAM_CLIENT_SECRET, "
                              "ACQUIA_DAM_USERNAME and ACQUIA_DAM_PASSWORD.")])
            words = {"timeout": f"Acquia DAM at {self._url} did not answer in time.",
                     "bad_response": f"Acquia DAM at {self._url} answered something that is not JSON: is "
                                     "ACQUIA_DAM_API_URL the REST API v2 (Acquia DAM Classic, apiv2.webdamdb.com)?"}
            return Health(exc.kind, [Check("connection", False, words.get(
                exc.kind, f"Cannot reach Acquia DAM at {self._url}, or it is failing: try again later."))])
        if answer.status != 200:
            return Health(f"http {answer.status}", [Check("connection", False,
                          f"Acquia DAM at {self._url} answered HTTP {answer.status} to GET /users/me.")])
        return Health("ok", [Check("credentials", True, "the API seat has a token and can read its account")])

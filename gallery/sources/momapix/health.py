"""MomaPIX's health probe (for /readyz and `gallery check`): the Apikey, the login and a listing,
through the transport that holds them, past every cache."""
from ...media.models import UpstreamError
from ...media.ports import Check, Health


class MomapixProbe:
    def __init__(self, client, api_url):
        self._client, self._url = client, api_url

    def __call__(self):
        try:
            answer = self._client.get_uncached("/rest/lightboxes", {"page[size]": 10, "fields[lightbox]": "description"})
        except UpstreamError as exc:
            if exc.kind == "credentials":
                return Health("credentials", [Check("credentials", False,
                              "MomaPIX refused the Apikey or the login: check MOMAPIX_API_KEY, MOMAPIX_USERNAME "
                              "and MOMAPIX_PASSWORD.")])
            words = {"timeout": f"MomaPIX at {self._url} did not answer in time.",
                     "bad_response": f"MomaPIX at {self._url} answered something that is not JSON:API: "
                                     "is MOMAPIX_API_URL a MomaPIX REST 2.0 installation?"}
            return Health(exc.kind, [Check("connection", False, words.get(
                exc.kind, f"Cannot reach MomaPIX at {self._url}, or it is failing: try again later."))])
        if answer.status != 200:
            return Health(f"http {answer.status}", [Check("connection", False,
                          f"MomaPIX at {self._url} answered HTTP {answer.status} to the lightbox listing.")])
        total = (answer.json.get("meta") or {}).get("total")
        return Health("ok", [Check("credentials", True, f"logged in; the account has {total} lightboxes")])

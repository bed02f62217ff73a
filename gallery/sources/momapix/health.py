"""MomaPIX's health probe (for /readyz and `gallery check`): the Apikey, the login and a listing,
through the transport that holds them, past every cache."""
from ...media.ports import Check, Health
from ...upstream import probe


class MomapixProbe:
    def __init__(self, client, api_url):
        self._client, self._url = client, api_url

    def __call__(self):
        answer, failed = probe.ask(
            self._client, "/rest/lightboxes", {"page[size]": 10, "fields[lightbox]": "description"},
            upstream="MomaPIX", url=self._url, expected="JSON:API", asked="the lightbox listing",
            credentials="MomaPIX refused the Apikey or the login: check MOMAPIX_API_KEY, MOMAPIX_USERNAME "
                        "and MOMAPIX_PASSWORD.",
            hint="is MOMAPIX_API_URL a MomaPIX REST 2.0 installation?")
        if failed:
            return failed
        total = (answer.json.get("meta") or {}).get("total")
        return Health("ok", [Check("credentials", True, f"logged in; the account has {total} lightboxes")])

"""Olapic's health probe (for /readyz and `gallery check`): the key, the customer (configured, or
discovered from the root) and a media listing that can be followed and read, asked through the
transport that holds the key, past every cache."""
from ...media.ports import Check, Health
from ...upstream.errors import MESSAGES
from .catalogue import OlapicCatalogue


class OlapicProbe:
    def __init__(self, client, api_url, customer_id=""):
        self._client, self._url, self._customer_id = client, api_url, str(customer_id or "")

    def __call__(self):
        state, detail = OlapicCatalogue(self._client, self._customer_id).readiness()
        if state == "ok":
            return Health("ok", [
                Check("credentials", True, f"upstream reachable, the key belongs to customer {detail}"),
                Check("listing", True, f"customer {detail}'s media listing is readable"),
            ])
        return Health(state, [Check(state, False, self._words(state, detail))])

    def _words(self, state, detail):
        url = self._url
        if state == "http 401":
            return "The Olapic API refused the key (401 Invalid Credentials): check OLAPIC_API_KEY."
        if state == "timeout":
            return f"The Olapic API at {url} did not answer in time."
        if state == "unavailable":
            return f"Cannot reach the Olapic API at {url}." if detail == MESSAGES["unavailable"] else \
                f"The Olapic API at {url}: {detail}"
        if state.startswith("http "):
            return f"The Olapic API at {url} answered HTTP {state[5:]}: it is failing, try again later."
        if state == "wrong_customer":
            return detail
        if state == "bad_response":
            return f"The Olapic API at {url} answered something that is not Olapic JSON: is OLAPIC_API_URL an Olapic API?"
        return f"The Olapic API at {url} is not usable ({state}): {detail}"

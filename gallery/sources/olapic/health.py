"""Olapic's health probe (for /readyz and `gallery check`): the key, the customer, the connection,
asked through the transport that holds the key, past every cache."""
from ...media.models import UpstreamError
from ...media.ports import Check, Health


class OlapicProbe:
    def __init__(self, client, api_url, customer_id=""):
        self._client, self._url, self._customer_id = client, api_url, str(customer_id or "")

    def __call__(self):
        try:
            root = self._client.get_uncached("/")
        except UpstreamError as exc:
            if exc.status:
                return Health(f"http {exc.status}" if exc.kind != "unavailable" else "unavailable", [Check(
                    "connection", False,
                    f"The Olapic API at {self._url} answered HTTP {exc.status}: it is failing, try again later.")])
            words = {"timeout": f"The Olapic API at {self._url} did not answer in time.",
                     "bad_response": f"The Olapic API at {self._url} answered something that is not Olapic "
                                     "JSON: is OLAPIC_API_URL an Olapic API?"}
            return Health(exc.kind, [Check("connection", False, words.get(
                exc.kind, f"Cannot reach the Olapic API at {self._url}, or it is failing: try again later."))])
        if root.status == 401:
            return Health("http 401", [Check("credentials", False,
                                             "The Olapic API refused the key (401 Invalid Credentials): "
                                             "check OLAPIC_API_KEY.")])
        if root.status != 200:
            return Health(f"http {root.status}", [Check("connection", False,
                          f"The Olapic API at {self._url} answered HTTP {root.status}: it is failing, try again later.")])
        try:
            customer = str(root.json["data"]["id"])
        except (KeyError, TypeError):
            return Health("bad_response", [Check("customer", False, f"The Olapic API at {self._url} answered "
                                                 "without a customer: is OLAPIC_API_URL an Olapic API?")])
        checks = [Check("credentials", True, f"upstream reachable, the key belongs to customer {customer}")]
        if self._customer_id and self._customer_id != customer:
            checks.append(Check("customer", False,
                                f"OLAPIC_CUSTOMER_ID is {self._customer_id}, but the key belongs to customer {customer}."))
            return Health("customer", checks)
        return Health("ok", checks)

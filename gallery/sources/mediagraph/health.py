"""Mediagraph's health probe (for /readyz and `gallery check`): the token, the organization, the
products' parent collection and, with uploads on, their contribution, through the transport that
holds the credentials, past every cache."""
from ...media.models import UpstreamError
from ...media.ports import Check, Health
from ...upstream import probe


class MediagraphProbe:
    def __init__(self, client, api_url, parent_id, contribution_id=None):
        self._client, self._url, self._parent = client, api_url, parent_id
        self._contribution = contribution_id  # where uploads go, when they are on

    def __call__(self):
        path = f"/api/collections/{self._parent}" if self._parent else "/api/whoami"
        missing = {404: Health("http 404", [Check("collection", False, f"The organization has no collection "
                                                  f"{self._parent}: check MEDIAGRAPH_PRODUCTS_PARENT_ID.")])
                   } if self._parent else None
        answer, failed = probe.ask(
            self._client, path, upstream="Mediagraph", url=self._url, credentials=self._refused, expected="JSON",
            hint="is MEDIAGRAPH_API_URL the API host (https://api.mediagraph.io)?", asked=path, refusals=missing)
        if failed:
            return failed
        name = answer.json.get("name") if isinstance(answer.json, dict) else None
        checks = [Check("credentials", True, "the token and the organization are accepted"
                        + (f"; products are the collections under {name!r}" if name else ""))]
        problem = self._contribution_problem()
        if problem:
            return Health("contribution", checks + [Check("contribution", False, problem)])
        return Health("ok", checks)

    def _refused(self):
        note = self._client.transport.disabled_note
        return (f"Mediagraph disabled the personal access token (X-PAT-Disabled-Note: {note}): "
                "create a new one and set MEDIAGRAPH_TOKEN." if note else
                "Mediagraph refused the token or the organization: check MEDIAGRAPH_TOKEN and "
                "MEDIAGRAPH_ORGANIZATION_ID.")

    def _contribution_problem(self):
        """Plain words when shoppers' uploads cannot go into the configured contribution, else None."""
        if not self._contribution:
            return None
        try:
            answer = self._client.get_uncached(f"/api/contributions/{self._contribution}")
        except UpstreamError as exc:
            return f"The contribution {self._contribution} could not be read ({exc.kind}): uploads may fail."
        if answer.status == 404:
            return f"The organization has no contribution {self._contribution}: check MEDIAGRAPH_CONTRIBUTION_ID."
        if answer.status != 200:
            return f"Mediagraph answered HTTP {answer.status} for the contribution {self._contribution}."
        if isinstance(answer.json, dict) and answer.json.get("enabled") is False:
            return f"The contribution {self._contribution} does not accept uploads (disabled in Mediagraph)."
        return None

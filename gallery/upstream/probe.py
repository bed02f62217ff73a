"""The shape every source's health probe shares (for /readyz and `gallery check`): one request past
every cache, through the transport that holds the credentials, and what went wrong in plain words
for operators (never a credential: the words are the caller's and the settings' names)."""
from ..media.models import UpstreamError
from ..media.ports import Check, Health


def ask(client, path, params=None, *, upstream, url, credentials, expected, hint, asked=None, refusals=None):
    """(answer, None) when GET `path` answered 200, else (None, the Health saying why).

    `upstream` names it in words ("MomaPIX"); `credentials` says what to check when it refuses them
    (or is a callable saying it then); a body that is not `expected` ("JSON") asks `hint` (is the URL
    setting the right API?); `asked` is the request in words (default "GET <path>"); `refusals` maps
    statuses to the Health the caller knows for them (a 404 naming a wrong setting)."""
    try:
        answer = client.get_uncached(path, params)
    except UpstreamError as exc:
        if exc.kind == "credentials":
            words = credentials() if callable(credentials) else credentials
            return None, Health("credentials", [Check("credentials", False, words)])
        words = {"timeout": f"{upstream} at {url} did not answer in time.",
                 "bad_response": f"{upstream} at {url} answered something that is not {expected}: {hint}"}
        return None, Health(exc.kind, [Check("connection", False, words.get(
            exc.kind, f"Cannot reach {upstream} at {url}, or it is failing: try again later."))])
    if answer.status == 200:
        return answer, None
    if answer.status in (refusals or {}):
        return None, refusals[answer.status]
    return None, Health(f"http {answer.status}", [Check("connection", False,
                        f"{upstream} at {url} answered HTTP {answer.status} to {asked or 'GET ' + path}.")])

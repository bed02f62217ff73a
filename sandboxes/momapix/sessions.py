"""Sessions: the Apikey authenticates the application, the bearer token carries the session.

The document's trap is reproduced: a GET /rest/session without a bearer allocates a new token and the
previous one of the same Apikey stops working ("the current authorization will not be valid anymore").
"""
import secrets
import string

from flask import g, request

from .jsonapi import ApiError
from .store import Session

_ALPHABET = string.ascii_lowercase + string.digits


def new_token() -> str:
    """26 characters of [a-z0-9], the shape of the document's sample ("u4gfc3abum2t0jp34b3bbvcuba")."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(26))


def check_apikey(sb) -> None:
    if request.headers.get("Apikey") != sb.api_key:
        raise ApiError(401, "A valid Apikey header is required.")


def bearer() -> str | None:
    """The bearer token sent, None when no Authorization header came; 401 when it is not a Bearer."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, 'The Authorization header must be "Bearer <token-id>".')
    return token.strip()


def end(session: Session, now: float, reason: str) -> None:
    session.ended, session.end_reason = now, reason


def live(sb, token: str) -> Session:
    """The live session of `token` for this Apikey, or 401 (unknown, superseded, logged out or expired)."""
    st, now = sb.state, sb.clock.now()
    session = st.sessions.get(token)
    if session is not None and session.ended is None and now >= session.expires:
        end(session, session.expires, "expired")
    if session is None or session.ended is not None or session.api_key != sb.api_key:
        raise ApiError(401, "The bearer token is not valid: open a new session.")
    return session


def allocate(sb) -> Session:
    """A new session for the Apikey; every other live session of that key ends (the trap)."""
    now = sb.clock.now()
    with sb.lock:
        for s in sb.state.sessions.values():
            if s.api_key == sb.api_key and s.ended is None:
                end(s, now, "superseded")
        session = Session(new_token(), sb.api_key, now, now + sb.expires_in)
        sb.state.sessions[session.token] = session
    return session


def authenticate(sb) -> None:
    """The gate's auth step: Apikey always; the bearer on everything but the un-bearered GET /rest/session."""
    check_apikey(sb)
    token = bearer()
    if token is None:
        if request.method == "GET" and request.path == "/rest/session":
            g.session = None
            return
        raise ApiError(401, "An Authorization: Bearer <token-id> header is required.")
    try:
        g.session = live(sb, token)
    except ApiError:
        if request.method == "DELETE" and request.path == "/rest/session":
            # "or a 403 Forbidden if you provide an incorrect token"
            raise ApiError(403, "The bearer token is not a live session.") from None
        raise


def require_login():
    session = g.session
    if session.username is None:
        raise ApiError(401, "This service needs a logged-in session: POST /rest/session with username and password.")
    return session


def attributes(sb, session: Session) -> dict:
    user = sb.state.users.get(session.username) if session.username else None
    now = sb.clock.now()
    remaining = max(0, round(session.expires - now)) if session.ended is None else 0
    return {"TokenId": session.token, "ExpiresIn": remaining, "InteractiveTimeout": sb.expires_in,
            "LoggedIn": user is not None and session.ended is None, "Name": user.name if user else None}


def public(sb, session: Session) -> dict:
    """A session as /_sandbox/sessions lists it (operator only: the token is the sandbox's own state)."""
    return {"token": session.token, "created": sb.clock.iso(session.created),
            "expires": sb.clock.iso(session.expires), "username": session.username,
            "ended": None if session.ended is None else sb.clock.iso(session.ended), "end_reason": session.end_reason}

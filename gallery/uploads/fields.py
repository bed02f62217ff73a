"""Validate and clean the text fields of an upload form.

Fields: `caption` (optional), `email`, `name` (screen name), `consent` (must be on),
`share_location` (optional, off by default), and the honeypot `website`: the form hides it from people
(visually hidden, `tabindex="-1"`, `autocomplete="off"`), so anything in it was typed by a bot.

Text is returned as plain text, never HTML-escaped: whoever displays it escapes it. It is
Unicode NFC, with control characters removed (the caption keeps its line breaks; a tab becomes a
space) and with bidirectional overrides removed, which could make a name or caption display reversed.

Errors, all reported at once in InvalidFields.errors, each {"field", "code", "message"}; the first
also fills the ApiError's own code, message and field:

| status | code | when |
|---|---|---|
| 400 | `missing_field` | email or name empty |
| 400 | `too_long` | caption above 2,000 or name above 50 characters |
| 400 | `invalid_email` | not a valid address (the message says why) |
| 400 | `consent_required` | consent not on |
| 400 | `invalid_value` | share_location not a yes/no value |

A filled honeypot raises a plain ApiError 400 `submission_rejected`, before anything else and with no
field, so that a bot learns nothing about the form.

clean_report(form) does the same for a media report: `email` (as above) and `reason` (required, one
line, at most 500 characters), with the same codes.
"""
import unicodedata


from ..errors import ApiError

CAPTION_MAX = 2000
NAME_MAX = 50
REASON_MAX = 500
HONEYPOT = "website"

_TRUE = {"1", "true", "on", "yes"}
_FALSE = {"", "0", "false", "off", "no"}
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


class InvalidFields(ApiError):
    def __init__(self, errors):
        first = errors[0]
        super().__init__(400, first["code"], first["message"], first["field"], errors=errors)


def clean_fields(form):
    """Return {"caption", "email", "name", "share_location"} from the mapping `form`, or raise."""
    if (form.get(HONEYPOT) or "").strip():
        raise ApiError(400, "submission_rejected", "This submission was refused.")
    errors = []

    def fail(field, code, message):
        errors.append({"field": field, "code": code, "message": message})

    caption = _text(form.get("caption"), multiline=True)
    if len(caption) > CAPTION_MAX:
        fail("caption", "too_long", f"The caption is longer than {CAPTION_MAX:,} characters.")

    email = _email(form, fail)

    name = _text(form.get("name"), multiline=False)
    if not name:
        fail("name", "missing_field", "Enter a screen name.")
    elif len(name) > NAME_MAX:
        fail("name", "too_long", f"The screen name is longer than {NAME_MAX} characters.")

    if _flag(form.get("consent")) is not True:
        fail("consent", "consent_required", "Accept the terms to submit your photo.")

    share_location = _flag(form.get("share_location"))
    if share_location is None:
        fail("share_location", "invalid_value", "share_location must be on or off.")

    if errors:
        raise InvalidFields(errors)
    return {"caption": caption, "email": email, "name": name, "share_location": share_location}


def clean_report(form):
    """Return {"email", "reason"} from the mapping `form`, or raise InvalidFields."""
    errors = []

    def fail(field, code, message):
        errors.append({"field": field, "code": code, "message": message})

    email = _email(form, fail)
    reason = _text(form.get("reason"), multiline=False)
    if not reason:
        fail("reason", "missing_field", "Say why you report this photo.")
    elif len(reason) > REASON_MAX:
        fail("reason", "too_long", f"The reason is longer than {REASON_MAX} characters.")
    if errors:
        raise InvalidFields(errors)
    return {"email": email, "reason": reason}


def _email(form, fail):
    email = form.get("email")
    email = email.strip() if isinstance(email, str) else ""
    if not email:
        fail("email", "missing_field", "Enter your email address.")
        return email
    from email_validator import EmailNotValidError, validate_email  # on the first upload, not at start

    try:
        return validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        fail("email", "invalid_email", str(exc))
        return email


def normalized_email(email):
    """One spelling of an address (NFC, IDNA domain as Unicode, ...), or it stripped when invalid."""
    from email_validator import EmailNotValidError, validate_email

    email = email.strip()
    try:
        return validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError:
        return email


def _text(value, *, multiline):
    text = value if isinstance(value, str) else ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if not multiline:
        text = text.replace("\n", " ")
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc")
    text = text.translate(_BIDI_CONTROLS)
    return unicodedata.normalize("NFC", text).strip()


def _flag(value):
    """True or False for a checkbox-like value, None when it is neither."""
    value = (value or "").strip().lower()
    return True if value in _TRUE else False if value in _FALSE else None

"""clean_fields: plain, normalised text out, and every field error reported at once."""
import pytest
from werkzeug.datastructures import MultiDict

from gallery.errors import ApiError
from gallery.uploads import HONEYPOT, InvalidFields, clean_fields
from gallery.uploads.fields import CAPTION_MAX, NAME_MAX

VALID = {"caption": "My anvil", "email": "jane@example.com", "name": "Jane", "consent": "on"}


def clean(**changes):
    form = {**VALID, **changes}
    return clean_fields(MultiDict({k: v for k, v in form.items() if v is not None}))


def errors(**changes):
    with pytest.raises(InvalidFields) as caught:
        clean(**changes)
    assert caught.value.status == 400
    return [(e["field"], e["code"]) for e in caught.value.errors]


def test_valid_form():
    assert clean() == {
        "caption": "My anvil", "email": "jane@example.com", "name": "Jane", "share_location": False,
    }


def test_caption_is_optional():
    assert clean(caption=None)["caption"] == ""


def test_caption_loses_control_characters_but_keeps_line_breaks():
    caption = "\x00Hi\x07 there\x1b[31m\r\nline two\rthree\tend\x7f\u0085  "
    assert clean(caption=caption)["caption"] == "Hi there[31m\nline two\nthree end"


def test_bidi_overrides_are_removed_and_text_is_nfc():
    assert clean(caption="cafe\u0301 \u202egnp.exe")["caption"] == "caf\u00e9 gnp.exe"
    assert clean(name="\u2067Jos\u0065\u0301\u2069")["name"] == "Jos\u00e9"


def test_caption_is_plain_text_not_escaped():
    assert clean(caption="<b>5 > 4 & 'so'</b>")["caption"] == "<b>5 > 4 & 'so'</b>"


def test_caption_length_limit_counts_characters_after_normalising():
    assert clean(caption="e\u0301" * CAPTION_MAX)["caption"] == "\u00e9" * CAPTION_MAX
    assert errors(caption="x" * (CAPTION_MAX + 1)) == [("caption", "too_long")]


def test_name_is_one_line_and_limited():
    assert clean(name="  Jane\r\nDoe\x00 ")["name"] == "Jane Doe"
    assert clean(name="n" * NAME_MAX)["name"] == "n" * NAME_MAX
    assert errors(name="n" * (NAME_MAX + 1)) == [("name", "too_long")]
    assert errors(name=" \x00\t ") == [("name", "missing_field")]


@pytest.mark.parametrize("email, normalised", [
    ("jane@example.com", "jane@example.com"),
    ("  Jane.Doe+anvils@Example.COM ", "Jane.Doe+anvils@example.com"),
    ("o'brien@sub.example.co.uk", "o'brien@sub.example.co.uk"),
    ("jos\u0065\u0301@b\u00fccher.example", "jos\u00e9@b\u00fccher.example"),
])
def test_valid_emails_are_normalised(email, normalised):
    assert clean(email=email)["email"] == normalised


@pytest.mark.parametrize("email", [
    "plainaddress",
    "jane@",
    "@example.com",
    "jane@@example.com",
    "jane doe@example.com",
    ".jane@example.com",
    "jane@localhost",
    "jane@example.com\nBcc: everyone@example.com",
    "jane@exa_mple.com",
    "<script>@example.com",
    "x" * 250 + "@example.com",
])
def test_invalid_emails(email):
    assert errors(email=email) == [("email", "invalid_email")]


def test_email_and_name_are_required():
    assert errors(email=None, name="") == [("email", "missing_field"), ("name", "missing_field")]


@pytest.mark.parametrize("value", ["on", "1", "true", "YES"])
def test_consent_given(value):
    assert clean(consent=value)


@pytest.mark.parametrize("value", [None, "", "off", "0", "false", "maybe"])
def test_consent_required(value):
    assert errors(consent=value) == [("consent", "consent_required")]


@pytest.mark.parametrize("value, expected", [
    (None, False), ("", False), ("off", False), ("on", True), ("1", True),
])
def test_share_location_defaults_to_off(value, expected):
    assert clean(share_location=value)["share_location"] is expected


def test_share_location_must_be_a_yes_or_no():
    assert errors(share_location="maybe") == [("share_location", "invalid_value")]


def test_all_errors_are_reported_at_once():
    with pytest.raises(InvalidFields) as caught:
        clean_fields(MultiDict({"caption": "x" * (CAPTION_MAX + 1), "email": "nope"}))
    exc = caught.value
    assert [(e["field"], e["code"]) for e in exc.errors] == [
        ("caption", "too_long"),
        ("email", "invalid_email"),
        ("name", "missing_field"),
        ("consent", "consent_required"),
    ]
    assert all(e["message"] for e in exc.errors)
    # The first error also fills the usual single-error shape.
    assert (exc.status, exc.code, exc.field) == (400, "too_long", "caption")


def test_filled_honeypot_is_refused_before_anything_else():
    assert HONEYPOT == "website"
    with pytest.raises(ApiError) as caught:
        clean_fields(MultiDict({HONEYPOT: "http://spam.example", "email": "nope"}))
    exc = caught.value
    assert not isinstance(exc, InvalidFields)
    assert (exc.status, exc.code, exc.field) == (400, "submission_rejected", None)


def test_empty_honeypot_is_fine():
    assert clean(website="")["name"] == "Jane"

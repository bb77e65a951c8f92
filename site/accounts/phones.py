"""Phone numbers as people in China type them, stored as E.164 (+8613800138000)."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_REGION = "CN"


def normalize_phone(raw: str) -> str:
    """Return the E.164 form of a typed number, or raise ValidationError.

    Accepts `138 0013 8000`, `138-0013-8000`, `+86 13800138000`, `0086 13800138000`
    and full-width digits; refuses anything that is not a valid number.
    """
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("Enter a phone number."), code="required")
    if len(text) > 32:
        raise ValidationError(_("That is not a phone number."), code="invalid_phone")
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("That is not a phone number."), code="invalid_phone"
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("%(number)s is not a valid phone number.") % {"number": raw.strip()},
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """`+8613800138000` → `138 0013 8000`; foreign numbers keep their prefix."""
    if e164.startswith("+86") and len(e164) == 14:
        local = e164[3:]
        return f"{local[:3]} {local[3:7]} {local[7:]}"
    return e164


def mask_phone(e164: str) -> str:
    """`+8613800138000` → `138****8000`, for lists that others can see."""
    local = e164[3:] if e164.startswith("+86") else e164
    if len(local) < 7:
        return "****"
    return f"{local[:3]}****{local[-4:]}"

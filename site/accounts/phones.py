"""Phone numbers as people in China type them, stored as E.164 (+8613800138000)."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

import phonenumbers

DEFAULT_REGION = "CN"
# Longer than any real number with its spaces and dashes: longer input is junk and
# is refused before the parser sees it.
MAX_TYPED_LENGTH = 32
# What may appear in a typed number once full-width characters are folded to ASCII.
# phonenumbers would also turn letters into keypad digits (vanity numbers such as
# 1-800-FLOWERS), which nobody here means: letters are refused.
_TYPED_NUMBER = re.compile(r"^\+?[0-9 ()./-]+$")


def normalize_phone(raw: str) -> str:
    """Return the E.164 form of a typed number, or raise ValidationError.

    Accepts `138 0013 8000`, `138-0013-8000`, `+86 13800138000`, `0086 13800138000`
    and full-width digits (`１３８００１３８０００`, typed by a Chinese input
    method); refuses anything that is not a valid number.
    """
    # NFKC folds full-width digits, ＋ and the ideographic space to ASCII.
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if not text:
        raise ValidationError(_("Enter a phone number."), code="required")
    if len(text) > MAX_TYPED_LENGTH or not _TYPED_NUMBER.match(text):
        raise ValidationError(_("That is not a phone number."), code="invalid_phone")
    if text.startswith("00"):
        # International prefix as dialled from China: 0086 138… is +86 138….
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("That is not a phone number."), code="invalid_phone"
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("%(number)s is not a valid phone number."),
            code="invalid_phone",
            params={"number": text},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """`+8613800138000` → `138 0013 8000`; foreign numbers keep their prefix."""
    if not e164:
        return ""
    if e164.startswith("+86") and len(e164) == 14:
        local = e164[3:]
        return f"{local[:3]} {local[3:7]} {local[7:]}"
    return e164


def mask_phone(e164: str) -> str:
    """`+8613800138000` → `138****8000`, for lists that others can see."""
    local = e164[3:] if e164 and e164.startswith("+86") else (e164 or "")
    if len(local) < 8:
        return "****"
    return f"{local[:3]}****{local[-4:]}"

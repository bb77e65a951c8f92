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
# What may appear in a typed number once full-width characters are folded to ASCII:
# `(+86)139 0000 0006`, `+86-139…`, `0086 139…`. phonenumbers would also turn
# letters into keypad digits (vanity numbers such as 1-800-FLOWERS), which nobody
# here means: letters are refused.
_TYPED_NUMBER = re.compile(r"^\(?\+?[0-9 ()./-]+$")
# A full stop typed after the number, as at the end of a sentence (。 has no ASCII
# fold).
_TRAILING_STOP = re.compile(r"[.。]+$")
MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}
CN_MOBILE_DIGITS = 11


def normalize_phone(raw: str, *, mobile: bool = False) -> str:
    """Return the E.164 form of a typed number, or raise ValidationError saying
    which part is wrong.

    Accepts `138 0013 8000`, `138-0013-8000`, `(+86)138 0013 8000`, `0086 13800138000`,
    full-width digits (`１３８００１３８０００`, typed by a Chinese input method) and
    a trailing full stop; refuses anything that is not a valid number, and with
    ``mobile`` anything that cannot receive a text (a landline).
    """
    # NFKC folds full-width digits, ＋, （）, ． and the ideographic space to ASCII.
    text = unicodedata.normalize("NFKC", raw or "").strip()
    text = _TRAILING_STOP.sub("", text).strip()
    if not text:
        raise ValidationError(_("Enter a phone number."), code="required")
    if len(text) > MAX_TYPED_LENGTH or not _TYPED_NUMBER.match(text):
        raise ValidationError(
            _("A phone number has only digits (spaces and dashes are fine)."),
            code="invalid_phone",
        )
    text = text.replace("(", " ").replace(")", " ").strip()
    if text.startswith("00"):
        # International prefix as dialled from China: 0086 138… is +86 138….
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("That is not a phone number."), code="invalid_phone"
        ) from exc
    shown = text
    valid = phonenumbers.is_valid_number(number)
    if number.country_code == 86 and not valid:
        national = str(number.national_number)
        if national.startswith("1") and len(national) < CN_MOBILE_DIGITS:
            raise ValidationError(
                _(
                    "%(number)s has too few digits: a mobile number has 11 "
                    "(you typed %(count)s)."
                ),
                code="invalid_phone",
                params={"number": shown, "count": len(national)},
            )
        if national.startswith("1") and len(national) > CN_MOBILE_DIGITS:
            raise ValidationError(
                _(
                    "%(number)s has too many digits: a mobile number has 11 "
                    "(you typed %(count)s)."
                ),
                code="invalid_phone",
                params={"number": shown, "count": len(national)},
            )
    if not valid:
        raise ValidationError(
            _("%(number)s is not a valid phone number."),
            code="invalid_phone",
            params={"number": shown},
        )
    if mobile and phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise ValidationError(
            _(
                "%(number)s is not a mobile number: the code comes by text "
                "message, so enter a mobile number (in China, 11 digits starting "
                "with 1)."
            ),
            code="not_mobile",
            params={"number": shown},
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

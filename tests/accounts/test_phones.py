"""Phone numbers as people type them, and as others may see them."""

from django.core.exceptions import ValidationError

import pytest

from accounts.phones import display_phone, mask_phone, normalize_phone
from accounts.templatetags import phone_tags


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("13800138000", "+8613800138000"),
        ("138 0013 8000", "+8613800138000"),
        ("138-0013-8000", "+8613800138000"),
        ("(138) 0013.8000", "+8613800138000"),
        ("  13800138000  ", "+8613800138000"),
        ("+86 138 0013 8000", "+8613800138000"),
        ("+8613800138000", "+8613800138000"),
        ("0086 13800138000", "+8613800138000"),
        ("0086-13800138000", "+8613800138000"),
        ("１３８００１３８０００", "+8613800138000"),
        ("１３８　００１３　８０００", "+8613800138000"),  # ideographic spaces
        ("＋８６ １３８００１３８０００", "+8613800138000"),
        ("(+86)139 0000 0006", "+8613900000006"),
        ("（＋８６）１３９ ００００ ０００６", "+8613900000006"),
        ("+86-139-0000-0006", "+8613900000006"),
        ("13900000006.", "+8613900000006"),
        ("13900000006。", "+8613900000006"),
        ("００８６１３８００１３８０００", "+8613800138000"),
        ("18912345678", "+8618912345678"),
        ("010 6552 9988", "+861065529988"),  # Beijing landline: a valid number
        ("+1 202 555 0143", "+12025550143"),
        ("+852 5123 4567", "+85251234567"),
    ],
)
def test_normalize_accepts_numbers_as_typed(typed, e164):
    assert normalize_phone(typed) == e164


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        None,
        "abc",
        "138OO138OOO",
        "1-800-FLOWERS",
        "1380013800a",
        "12345",
        "138001380001",  # one digit too many
        "1380013800",  # one too few
        "10000000000",
        "+86 000 0000 0000",
        "1" * 33,
        "1" * 500,
        "📱",
        "13800138000😀",
        "13800138000\x00",
        "٠١٣٨٠٠١٣٨٠٠٠",
        "+",
        "00",
        "+-+-",
        "138 0013 8000 ext 12",
        "13800138000#",
        "<b>13800138000</b>",
    ],
)
def test_normalize_refuses_what_is_not_a_number(typed):
    with pytest.raises(ValidationError) as info:
        normalize_phone(typed)
    assert info.value.code in {"required", "invalid_phone"}


def test_normalize_says_which_number_is_invalid():
    with pytest.raises(ValidationError) as info:
        normalize_phone("１２３４５")
    assert info.value.messages == ["12345 位数不够：手机号是 11 位，您输入了 5 位。"]


def test_empty_input_asks_for_a_number():
    with pytest.raises(ValidationError) as info:
        normalize_phone("  ")
    assert info.value.code == "required"


@pytest.mark.parametrize(
    ("e164", "shown"),
    [
        ("+8613800138000", "138 0013 8000"),
        ("+861065529988", "+861065529988"),  # landline: left as stored
        ("+12025550143", "+12025550143"),
        ("", ""),
        (None, ""),
    ],
)
def test_display_phone(e164, shown):
    assert display_phone(e164) == shown


@pytest.mark.parametrize(
    ("e164", "masked"),
    [
        ("+8613800138000", "138****8000"),
        ("+8618912345678", "189****5678"),
        ("+12025550143", "+12****0143"),
        ("+861234567", "****"),  # too short to show any digit safely
        ("", "****"),
        (None, "****"),
    ],
)
def test_mask_phone(e164, masked):
    assert mask_phone(e164) == masked


def test_mask_never_shows_the_middle_digits():
    masked = mask_phone("+8613812345678")
    assert "1234" not in masked.replace("5678", "")
    assert masked.count("*") == 4


def test_template_filters():
    assert phone_tags.display_phone("+8613800138000") == "138 0013 8000"
    assert phone_tags.mask_phone("+8613800138000") == "138****8000"
    assert phone_tags.display_phone(None) == ""

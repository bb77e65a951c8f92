"""Login by a code sent by text message, through allauth's real views."""

import time
from types import SimpleNamespace
from unittest import mock

from django.contrib.auth import SESSION_KEY
from django.urls import reverse

import pytest

from accounts import sms
from accounts.adapter import AccountAdapter
from tests.accounts.conftest import PHONE, english, last_code, request_code

CONFIRM_URL = reverse("account_confirm_login_code")
REQUEST_URL = reverse("account_request_login_code")


def confirm(client, code, **extra):
    return client.post(CONFIRM_URL, {"code": code}, **extra)


def logged_in_as(client):
    return client.session.get(SESSION_KEY)


@pytest.mark.parametrize(
    "typed",
    [
        "138 0013 8000",
        "+86 138 0013 8000",
        "0086-13800138000",
        "13800138000",
        "138-0013-8000",
        "１３８ ００１３ ８０００",  # full-width digits from a Chinese input method
        "＋８６　１３８００１３８０００",  # full-width plus and ideographic space
        "(+86)138 0013 8000",
        "（＋８６）１３８ ００１３ ８０００",  # full-width brackets
        "+86-138-0013-8000",
        "0086 138 0013 8000",
        "13800138000.",  # the end of a sentence
        "138 0013 8000。",
    ],
)
def test_code_login_with_a_number_typed_as_people_type_it(client, villager, typed):
    response = request_code(client, typed)

    assert response.status_code == 302
    assert response["Location"] == CONFIRM_URL
    assert [m.phone for m in sms.outbox] == [PHONE]
    code = last_code()
    assert "Xiangyue" in sms.outbox[0].text

    page = client.get(CONFIRM_URL)
    assert page.status_code == 200
    assert "138 0013 8000" in page.content.decode()  # shown as people read it

    response = confirm(client, code)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:me")
    assert logged_in_as(client) == str(villager.pk)
    villager.refresh_from_db()
    assert villager.phone == PHONE
    assert villager.phone_verified is True
    assert client.get(reverse("accounts:me")).status_code == 200


def test_code_login_honours_next(client, villager):
    response = client.post(
        REQUEST_URL, {"phone": "138 0013 8000", "next": "/me/?tab=inbox"}
    )
    assert response.status_code == 302
    response = client.post(CONFIRM_URL, {"code": last_code(), "next": "/me/?tab=inbox"})
    assert response["Location"] == "/me/?tab=inbox"


def test_code_login_ignores_a_next_to_another_site(client, villager):
    request_code(client, "138 0013 8000")
    response = client.post(
        CONFIRM_URL, {"code": last_code(), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("accounts:me")


def test_code_login_verifies_an_unverified_phone(client, villager):
    villager.phone_verified = False
    villager.save()
    request_code(client, "13800138000")
    confirm(client, last_code())
    villager.refresh_from_db()
    assert villager.phone_verified is True
    assert logged_in_as(client) == str(villager.pk)


def test_the_code_is_six_digits(client, villager):
    request_code(client, "13800138000")
    text = sms.outbox[0].text
    code = last_code()
    assert len(code) == 6 and code.isdigit()
    assert "5 minutes" in text


def test_code_with_spaces_is_accepted(client, villager):
    request_code(client, "13800138000")
    code = last_code()
    response = confirm(client, f" {code[:3]} {code[3:]} ")
    assert response.status_code == 302
    assert logged_in_as(client) == str(villager.pk)


def test_unknown_number_is_told_plainly_and_nothing_is_sent(client, villager):
    response = request_code(client, "139 0000 0000")

    assert response.status_code == 200
    assert english(AccountAdapter.error_messages["unknown_phone"]) in (
        response.content.decode()
    )
    assert sms.outbox == []
    assert logged_in_as(client) is None


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "   ",
        "abc",
        "138OO138OOO",  # letters O for zeros
        "1-800-FLOWERS",
        "1" * 500,
        "x" * 500,
        "📱13800138000",
        "138 0013 8000 😀",
        "12345",
        "+86 138 0013 80001234",
        "<script>alert(1)</script>",
        "13800138000\x00",
        "١٣٨٠٠١٣٨٠٠٠",  # Arabic-Indic digits: not how anyone here types
    ],
)
def test_junk_numbers_are_form_errors_never_texts_or_500s(client, villager, junk):
    response = request_code(client, junk)

    assert response.status_code == 200
    assert response.context["form"].errors["phone"]
    assert 'class="errorlist' in response.content.decode()
    assert "<script>alert" not in response.content.decode()
    assert sms.outbox == []


def test_missing_phone_field_is_a_form_error(client, villager):
    response = client.post(REQUEST_URL, {})
    assert response.status_code == 200
    assert response.context["form"].errors["phone"]
    assert sms.outbox == []


def test_wrong_code_is_refused(client, villager):
    request_code(client, "13800138000")
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"

    response = confirm(client, wrong)

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert english(AccountAdapter.error_messages["incorrect_code"]) in (
        response.content.decode()
    )
    assert logged_in_as(client) is None
    # One wrong attempt does not spoil the right code.
    assert confirm(client, code).status_code == 302
    assert logged_in_as(client) == str(villager.pk)


def test_three_wrong_codes_invalidate_the_code(client, villager, settings):
    assert settings.ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS == 3
    request_code(client, "13800138000")
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"

    assert confirm(client, wrong).status_code == 200
    assert confirm(client, wrong).status_code == 200
    third = confirm(client, wrong)
    assert third.status_code == 302
    assert third["Location"] == REQUEST_URL

    # The right code no longer works: the login attempt is gone.
    response = confirm(client, code)
    assert response.status_code == 302
    assert response["Location"] == REQUEST_URL
    assert logged_in_as(client) is None
    # The person is told why, on the page they are sent back to.
    page = client.get(REQUEST_URL)
    assert english(AccountAdapter.error_messages["too_many_login_attempts"]) in (
        page.content.decode()
    )


def _clock_at(seconds_from_now: float):
    """Move only the clock allauth checks codes against (its module's `time`)."""
    moved = time.time() + seconds_from_now
    return mock.patch(
        "allauth.account.internal.flows.code_verification.time",
        SimpleNamespace(time=lambda: moved),
    )


def test_expired_code_is_refused(client, villager, settings):
    request_code(client, "13800138000")
    code = last_code()

    with _clock_at(settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT + 5):
        response = confirm(client, code)

    assert response.status_code == 302
    assert response["Location"] == REQUEST_URL
    assert logged_in_as(client) is None
    # And it stays refused once the clock is back.
    response = confirm(client, code)
    assert response["Location"] == REQUEST_URL
    assert logged_in_as(client) is None


def test_code_just_inside_its_lifetime_works(client, villager, settings):
    request_code(client, "13800138000")
    code = last_code()

    with _clock_at(settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT - 5):
        response = confirm(client, code)

    assert response.status_code == 302
    assert logged_in_as(client) == str(villager.pk)


def test_while_a_code_is_pending_asking_again_returns_to_the_code_page(
    client, villager
):
    request_code(client, "13800138000")
    response = request_code(client, "13800138000")
    assert response["Location"] == CONFIRM_URL
    assert len(sms.outbox) == 1


def test_start_again_drops_the_pending_code_and_sends_a_new_one(client, villager):
    request_code(client, "13800138000")
    first = last_code()
    page = client.get(CONFIRM_URL).content.decode()
    assert "Start again" in page

    # The "start again" button: a POST to logout with next=the request page.
    response = client.post(reverse("account_logout"), {"next": REQUEST_URL})
    assert response["Location"] == REQUEST_URL
    assert client.get(REQUEST_URL).status_code == 200

    request_code(client, "13800138000")
    second = last_code()
    assert len(sms.outbox) == 2
    if first != second:  # equal once in a million draws
        assert confirm(client, first).status_code == 200
    assert confirm(client, second).status_code == 302
    assert logged_in_as(client) == str(villager.pk)


def test_resend_sends_a_new_code_when_enabled(client, villager, settings):
    settings.ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = True
    request_code(client, "13800138000")
    first = last_code()
    assert 'value="resend"' in client.get(CONFIRM_URL).content.decode()

    response = client.post(CONFIRM_URL, {"action": "resend"})

    assert response["Location"] == CONFIRM_URL
    assert len(sms.outbox) == 2
    second = last_code()
    if first != second:
        assert confirm(client, first).status_code == 200
    assert confirm(client, second).status_code == 302


def test_inactive_person_gets_no_code_and_no_login(client, villager):
    villager.is_active = False
    villager.save()

    response = request_code(client, "13800138000")

    assert response.status_code == 200
    assert response.context["form"].errors["phone"]
    assert sms.outbox == []
    assert logged_in_as(client) is None


def test_person_switched_off_between_code_and_confirm_is_not_logged_in(
    client, villager
):
    request_code(client, "13800138000")
    code = last_code()
    villager.is_active = False
    villager.save()

    response = confirm(client, code)

    assert logged_in_as(client) is None
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"] != reverse("accounts:me")


def test_confirm_page_without_a_pending_code_sends_back(client, villager):
    response = client.get(CONFIRM_URL)
    assert response.status_code == 302
    assert response["Location"] == REQUEST_URL


def test_code_for_one_browser_does_not_log_in_another(client, villager):
    from django.test import Client

    request_code(client, "13800138000")
    code = last_code()
    other = Client(headers={"accept-language": "en"})

    response = confirm(other, code)

    assert response.status_code == 302
    assert response["Location"] == REQUEST_URL
    assert logged_in_as(other) is None


def test_full_width_code_digits_are_accepted_with_our_form(client, villager, settings):
    settings.ACCOUNT_FORMS = {
        "confirm_login_code": "accounts.forms.ConfirmLoginCodeForm"
    }
    request_code(client, "13800138000")
    full_width = last_code().translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    )

    response = confirm(client, full_width)

    assert response.status_code == 302
    assert logged_in_as(client) == str(villager.pk)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("138 0013 800", "has too few digits: a mobile number has 11 (you typed 10)"),
        ("138 0013 80000", "has too many digits: a mobile number has 11"),
        ("010 6552 9988", "is not a mobile number"),
        ("138 0013 8000 ext 1", "only digits (spaces and dashes are fine)"),
    ],
)
def test_a_wrong_number_is_told_which_part_is_wrong(client, villager, typed, says):
    response = request_code(client, typed)

    assert response.status_code == 200
    assert says in " ".join(response.context["form"].errors["phone"])
    assert sms.outbox == []


def test_a_wrong_code_is_called_a_wrong_code_in_chinese(villager):
    """allauth's catalogue says 错误代码 ("error code"); a villager reads 验证码错误."""
    from django.test import Client

    browser = Client(headers={"accept-language": "zh-hans"})
    request_code(browser, "13800138000")
    wrong = "000000" if last_code() != "000000" else "111111"
    response = confirm(browser, wrong)
    page = response.content.decode()
    assert "验证码错误" in page and "错误代码" not in page

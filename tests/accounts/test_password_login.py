"""Login with a phone number and a password, through allauth's real view."""

from django.contrib.auth import SESSION_KEY
from django.urls import reverse

import pytest

from accounts import sms
from accounts.adapter import AccountAdapter
from tests.accounts.conftest import PHONE, english

LOGIN_URL = reverse("account_login")
PASSWORD = "correct horse battery"


def login(client, phone, password=PASSWORD):
    return client.post(LOGIN_URL, {"login": phone, "password": password})


@pytest.mark.parametrize(
    "typed",
    [
        "138 0013 8000",
        "+86 138 0013 8000",
        "0086-13800138000",
        "+8613800138000",
        "１３８００１３８０００",
    ],
)
def test_password_login_with_a_number_typed_as_people_type_it(client, villager, typed):
    response = login(client, typed)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:me")
    assert client.session[SESSION_KEY] == str(villager.pk)
    assert sms.outbox == []  # a verified phone needs no code


def test_wrong_password_is_refused(client, villager):
    response = login(client, "138 0013 8000", "wrong horse battery")

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert english(AccountAdapter.error_messages["phone_password_mismatch"]) in (
        response.content.decode()
    )


def test_unknown_number_is_refused_like_a_wrong_password(client, villager):
    response = login(client, "139 0000 0000")

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert english(AccountAdapter.error_messages["phone_password_mismatch"]) in (
        response.content.decode()
    )


@pytest.mark.parametrize("junk", ["", "abc", "x" * 500, "😀", "138OO138OOO"])
def test_junk_number_is_a_form_error(client, villager, junk):
    response = login(client, junk)

    assert response.status_code == 200
    assert response.context["form"].errors["login"]
    assert SESSION_KEY not in client.session
    assert sms.outbox == []


def test_inactive_person_cannot_log_in_with_the_right_password(client, villager):
    villager.is_active = False
    villager.save()

    response = login(client, "138 0013 8000")

    assert SESSION_KEY not in client.session
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"] == reverse("account_inactive")


def test_person_without_a_password_cannot_log_in_with_one(client, villager):
    villager.set_unusable_password()
    villager.save()

    response = login(client, "138 0013 8000", "")

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_unverified_phone_is_verified_by_a_code_after_the_password(client, villager):
    villager.phone_verified = False
    villager.save()

    response = login(client, "138 0013 8000")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_verify_phone")
    assert [m.phone for m in sms.outbox] == [PHONE]
    assert SESSION_KEY not in client.session


def test_login_page_offers_both_ways_and_a_phone_field(client, db):
    page = client.get(LOGIN_URL).content.decode()

    assert 'type="tel"' in page
    assert reverse("account_request_login_code") in page
    assert 'name="password"' in page


def test_logout_needs_a_post(client, villager):
    login(client, "138 0013 8000")
    page = client.get(reverse("account_logout"))
    assert page.status_code == 200
    assert client.session[SESSION_KEY] == str(villager.pk)
    assert 'method="post"' in page.content.decode()

    client.post(reverse("account_logout"))

    assert SESSION_KEY not in client.session

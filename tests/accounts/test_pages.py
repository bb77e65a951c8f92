"""allauth's pages a villager can reach render inside our base.html, phone first."""

from django.contrib.auth import SESSION_KEY
from django.urls import reverse

import pytest

from tests.accounts.conftest import last_code, request_code

# Markers of templates/base.html: our header and main column.
BASE_MARKERS = ('class="site-header"', '<main class="page">')
PASSWORD = "correct horse battery"


def assert_in_base(response):
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    for marker in BASE_MARKERS:
        assert marker in html
    assert "<script" not in html  # every page works without JavaScript
    return html


@pytest.mark.parametrize(
    "path",
    [
        reverse("account_login"),
        reverse("account_request_login_code"),
        reverse("account_signup"),
        reverse("account_reset_password"),
        reverse("account_reset_password_done"),
        reverse("account_inactive"),
        "/accounts/password/reset/key/1-set-password/",
        reverse("account_reset_password_from_key_done"),
    ],
)
def test_pages_for_people_not_logged_in(client, db, path):
    response = client.get(path)
    if response.status_code == 302:
        response = client.get(response["Location"])
    assert_in_base(response)


@pytest.mark.parametrize(
    "name",
    [
        "account_change_password",
        "account_logout",
        "account_change_phone",
        "account_reauthenticate",
        "account_email",
    ],
)
def test_pages_for_people_logged_in(client, villager, name):
    client.force_login(villager)
    response = client.get(reverse(name), follow=True)
    assert_in_base(response)


def test_set_password_page_for_someone_without_one(client, villager):
    villager.set_unusable_password()
    villager.save()
    client.force_login(villager)

    # The change page sends people without a password to the set page.
    response = client.get(reverse("account_change_password"), follow=True)

    html = assert_in_base(response)
    assert response.redirect_chain[-1][0] == reverse("account_set_password")
    assert 'name="password1"' in html and 'name="password2"' in html


def test_request_code_page_is_phone_first(client, db):
    html = assert_in_base(client.get(reverse("account_request_login_code")))

    assert 'type="tel"' in html
    assert 'inputmode="tel"' in html
    assert 'autocomplete="tel"' in html
    assert 'name="phone"' in html
    assert 'method="post"' in html
    assert "csrfmiddlewaretoken" in html
    assert "138 0013 8000" in html  # the example shows how to type it


def test_request_code_page_keeps_the_typed_number_after_an_error(client, db):
    response = request_code(client, "138 0013 80")
    html = assert_in_base(response)
    assert 'value="138 0013 80"' in html
    assert 'aria-invalid="true"' in html


def test_confirm_code_page_has_a_one_time_code_field(client, villager):
    request_code(client, "13800138000")

    html = assert_in_base(client.get(reverse("account_confirm_login_code")))

    assert 'name="code"' in html
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="one-time-code"' in html
    assert "138 0013 8000" in html
    assert last_code() not in html


def test_signup_is_closed_and_says_who_adds_people(client, db):
    html = assert_in_base(client.get(reverse("account_signup")))
    assert "village committee" in html
    assert reverse("account_request_login_code") in html


def test_forgotten_password_leads_to_a_login_code(client, db):
    html = assert_in_base(client.get(reverse("account_reset_password")))
    assert reverse("account_request_login_code") in html
    assert 'type="email"' not in html


def test_password_change_then_login_with_the_new_one(client, villager):
    client.force_login(villager)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "river stone willow 42",
            "password2": "river stone willow 42",
        },
    )
    assert response.status_code == 302

    client.post(reverse("account_logout"))
    response = client.post(
        reverse("account_login"),
        {"login": "138 0013 8000", "password": "river stone willow 42"},
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(villager.pk)


def test_password_change_errors_show_on_the_page(client, villager):
    client.force_login(villager)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": "a", "password2": "b"},
    )
    html = assert_in_base(response)
    assert 'class="errorlist' in html


def test_set_password_for_someone_who_logs_in_by_code(client, villager):
    villager.set_unusable_password()
    villager.save()
    client.force_login(villager)

    response = client.post(
        reverse("account_set_password"),
        {"password1": "river stone willow 42", "password2": "river stone willow 42"},
    )

    assert response.status_code == 302
    villager.refresh_from_db()
    assert villager.check_password("river stone willow 42")


def test_logout_page_asks_before_logging_out(client, villager):
    client.force_login(villager)
    html = assert_in_base(client.get(reverse("account_logout")))
    assert f'action="{reverse("account_logout")}"' in html
    assert SESSION_KEY in client.session

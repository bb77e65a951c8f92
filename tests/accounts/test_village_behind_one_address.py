"""A whole village behind one address (carrier-grade NAT) can log in on voting day.

Limits count per number first; what counts per address is high enough that a
village's morning never reaches it. The clock is allauth's, moved by the test.
"""

import time as real_time
from unittest import mock

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

import pytest

from accounts import sms
from tests.accounts.conftest import last_code
from tests.factories import UserFactory

REQUEST_URL = reverse("account_request_login_code")
CONFIRM_URL = reverse("account_confirm_login_code")
VILLAGE_ADDRESS = "100.64.0.1"  # one carrier-grade NAT address for everyone


class Clock:
    """Stands in for the ``time`` module inside allauth's rate limiter."""

    def __init__(self) -> None:
        self.now = real_time.time()
        self.monotonic = real_time.monotonic
        self.sleep = real_time.sleep

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock():
    clock = Clock()
    with mock.patch("allauth.core.internal.ratelimit.time", clock):
        yield clock


def villager_number(n: int) -> str:
    return f"1390000{n:04d}"


def test_two_hundred_villagers_on_one_address_all_log_in(db, clock):
    for n in range(200):
        UserFactory(phone=f"+86{villager_number(n)}")
    refused = []
    # 200 people in five minutes; every tenth first mistypes the code.
    for n in range(200):
        clock.now += 1.5
        browser = Client(headers={"accept-language": "en"}, REMOTE_ADDR=VILLAGE_ADDRESS)
        response = browser.post(REQUEST_URL, {"phone": villager_number(n)})
        if response.status_code != 302:
            refused.append((n, "request"))
            continue
        code = last_code()
        if n % 10 == 0:
            wrong = "000000" if code != "000000" else "111111"
            assert browser.post(CONFIRM_URL, {"code": wrong}).status_code == 200
        response = browser.post(CONFIRM_URL, {"code": code})
        if browser.session.get(SESSION_KEY) is None:
            refused.append((n, "confirm"))
    assert refused == []
    assert len(sms.outbox) == 200


def test_guessing_one_numbers_code_is_still_stopped(db, clock):
    target = UserFactory(phone="+8613900000001")
    guesses = 0
    requests_granted = 0
    # An hour of trying from the village's address: ask for a code, guess it
    # three times (allauth throws the code away after that), ask again.
    for _ in range(60):
        clock.now += 60
        browser = Client(headers={"accept-language": "en"}, REMOTE_ADDR=VILLAGE_ADDRESS)
        if browser.post(REQUEST_URL, {"phone": "13900000001"}).status_code != 302:
            continue
        requests_granted += 1
        code = last_code()
        for guess in ("000001", "000002", "000003"):
            if guess == code:
                continue
            browser.post(CONFIRM_URL, {"code": guess})
            guesses += 1
        assert browser.session.get(SESSION_KEY) != str(target.pk)
    assert requests_granted <= 10  # per number per hour
    assert guesses <= 30  # out of a million codes


def test_one_neighbours_wrong_passwords_lock_only_their_own_number(db, clock):
    """allauth keys failed logins by e-mail or username; with phone logins that key
    was empty, so five typos by anyone locked every password login."""
    password = "correct horse battery"
    UserFactory(phone="+8613900000001")
    neighbour = UserFactory(phone="+8613900000002")

    def try_login(number, typed_password):
        browser = Client(headers={"accept-language": "en"}, REMOTE_ADDR=VILLAGE_ADDRESS)
        browser.post(
            reverse("account_login"), {"login": number, "password": typed_password}
        )
        return browser.session.get(SESSION_KEY)

    for _ in range(5):
        assert try_login("13900000001", "wrong") is None
    assert try_login("13900000002", password) == str(neighbour.pk)
    # The mistyped number itself is held back, even with the right password.
    assert try_login("13900000001", password) is None


def test_a_password_lock_says_until_when(db, clock):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    UserFactory(phone="+8613900000001")
    clock.now = datetime(
        2026, 5, 6, 9, 30, 20, tzinfo=ZoneInfo("Asia/Shanghai")
    ).timestamp()
    browser = Client(headers={"accept-language": "en"}, REMOTE_ADDR=VILLAGE_ADDRESS)
    for _ in range(5):
        browser.post(
            reverse("account_login"), {"login": "13900000001", "password": "x"}
        )
    response = browser.post(
        reverse("account_login"), {"login": "13900000001", "password": "x"}
    )
    errors = " ".join(response.context["form"].non_field_errors())
    # Five misses at 09:30:20 fill the 5-in-300-seconds limit until 09:35:20.
    assert "Too many wrong passwords for this number. Try again at 09:36" in errors

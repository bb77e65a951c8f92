import re

from django.test import Client
from django.urls import reverse
from django.utils import translation

import pytest

from accounts import sms
from tests.factories import UserFactory

PHONE = "+8613800138000"


@pytest.fixture
def client():
    """A browser that asks for English, so tests read the English source strings."""
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def villager(db):
    return UserFactory(phone=PHONE, name="李秀英")


def english(text) -> str:
    """A (lazy) message as the English pages show it."""
    with translation.override("en"):
        return str(text)


def request_code(client, phone, **extra):
    return client.post(reverse("account_request_login_code"), {"phone": phone}, **extra)


def last_code() -> str:
    """The code from the newest text in the console backend's outbox."""
    match = re.search(r"\b(\d{6})\b", sms.outbox[-1].text)
    assert match, sms.outbox[-1].text
    return match.group(1)


@pytest.fixture
def sms_provider():
    """A fake SMS provider listening on 127.0.0.1 for the length of one test."""
    from tests.accounts.fake_sms_provider import running_provider

    with running_provider() as provider:
        yield provider


@pytest.fixture
def http_sms(settings, sms_provider):
    """Settings that send texts to the fake provider through HttpSmsBackend."""
    from tests.accounts.fake_sms_provider import KEY_ID, SECRET

    settings.SMS_BACKEND = "accounts.sms.HttpSmsBackend"
    settings.SMS_HTTP_URL = sms_provider.url
    settings.SMS_HTTP_KEY_ID = KEY_ID
    settings.SMS_HTTP_SECRET = SECRET
    settings.SMS_HTTP_SIGN_NAME = "乡约"
    settings.SMS_HTTP_TIMEOUT = 2
    return sms_provider

"""HttpSmsBackend against a real local HTTP server posing as the provider."""

import json
import logging
import re
import socket
import time
import uuid
from types import SimpleNamespace
from unittest import mock

from django.contrib.auth import SESSION_KEY
from django.urls import reverse

import pytest

from accounts import sms
from accounts.sms import (
    HttpSmsBackend,
    SmsConfigurationError,
    SmsError,
    SmsMessage,
    send_sms,
)
from tests.accounts.conftest import PHONE, request_code
from tests.accounts.fake_sms_provider import KEY_ID, SECRET

TEXT = "您的验证码是 123456，5分钟内有效。"
SMS_FAILED = "The text message could not be sent. Please try again later."


def backend(provider, **overrides):
    options = {
        "url": provider.url,
        "key_id": KEY_ID,
        "secret": SECRET,
        "sign_name": "乡约",
        "timeout": 2,
        **overrides,
    }
    return HttpSmsBackend(**options)


def test_request_format(sms_provider):
    before = int(time.time())

    message_id = backend(sms_provider).send(SmsMessage(phone=PHONE, text=TEXT))

    assert message_id == "msg-1"
    [got] = sms_provider.received
    assert got.method == "POST"
    assert got.path == "/v1/sms"
    assert got.signature_ok and got.timestamp_fresh
    assert got.headers["content-type"] == "application/json; charset=utf-8"
    assert got.headers["x-key-id"] == KEY_ID
    assert before <= int(got.headers["x-timestamp"]) <= int(time.time())
    assert got.headers["x-signature"] == HttpSmsBackend.signature(
        SECRET, got.headers["x-timestamp"], got.body
    )
    assert re.fullmatch(r"[0-9a-f]{64}", got.headers["x-signature"])
    # UTF-8 Chinese as it is, compact JSON, exactly these fields.
    assert "【乡约】您的验证码".encode() in got.body
    assert b"\\u" not in got.body
    assert b", " not in got.body and b": " not in got.body
    body = got.json
    assert set(body) == {"id", "phone", "sign_name", "text"}
    assert uuid.UUID(body["id"]).version == 4
    assert body["phone"] == PHONE
    assert body["sign_name"] == "乡约"
    assert body["text"] == f"【乡约】{TEXT}"


def test_every_message_has_its_own_idempotency_key(sms_provider):
    sender = backend(sms_provider)
    sender.send(SmsMessage(phone=PHONE, text="一"))
    sender.send(SmsMessage(phone=PHONE, text="二"))
    ids = {r.json["id"] for r in sms_provider.received}
    assert len(ids) == 2


def test_signature_is_hmac_sha256_of_timestamp_newline_body():
    # A fixed vector, so the documented format cannot drift unnoticed.
    assert HttpSmsBackend.signature("secret", "1700000000", b'{"a":1}') == (
        __import__("hmac").new(b"secret", b'1700000000\n{"a":1}', "sha256").hexdigest()
    )


@pytest.mark.parametrize(
    ("answer", "in_error"),
    [
        ("refuse", "MOBILE_BLACKLISTED"),
        ("error500", "HTTP 500"),
        ("not_json", "without a JSON object"),
        ("json_list", "without a JSON object"),
        ("redirect", "HTTP 302"),
    ],
)
def test_provider_failures_raise_sms_error(sms_provider, answer, in_error):
    sms_provider.answer = answer
    with pytest.raises(SmsError) as info:
        backend(sms_provider).send(SmsMessage(phone=PHONE, text=TEXT))
    assert in_error in str(info.value)
    # A redirect is not followed: exactly one request reached the provider.
    assert len(sms_provider.received) == 1


def test_hanging_provider_times_out(sms_provider):
    sms_provider.answer = "hang"
    started = time.monotonic()

    with pytest.raises(SmsError, match="did not answer"):
        backend(sms_provider, timeout=0.3).send(SmsMessage(phone=PHONE, text=TEXT))

    assert time.monotonic() - started < 3


def test_wrong_secret_is_refused_by_the_provider(sms_provider):
    with pytest.raises(SmsError, match="BAD_SIGNATURE"):
        backend(sms_provider, secret="not-the-secret").send(
            SmsMessage(phone=PHONE, text=TEXT)
        )
    assert sms_provider.received[0].signature_ok is False


def test_stale_timestamp_is_refused_by_the_provider(sms_provider):
    stale = time.time() - 3600
    with (
        # Only the backend's clock is an hour slow, not the provider's.
        mock.patch("accounts.sms.time", SimpleNamespace(time=lambda: stale)),
        pytest.raises(SmsError, match="STALE_TIMESTAMP"),
    ):
        backend(sms_provider).send(SmsMessage(phone=PHONE, text=TEXT))
    got = sms_provider.received[0]
    assert got.signature_ok is True and got.timestamp_fresh is False


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_provider_raises_sms_error(sms_provider):
    url = f"http://127.0.0.1:{closed_port()}/v1/sms"
    with pytest.raises(SmsError, match="unreachable"):
        backend(sms_provider, url=url).send(SmsMessage(phone=PHONE, text=TEXT))
    assert sms_provider.received == []


@pytest.mark.parametrize(
    "missing", ["SMS_HTTP_URL", "SMS_HTTP_KEY_ID", "SMS_HTTP_SECRET"]
)
def test_missing_settings_are_a_configuration_error(http_sms, settings, missing):
    setattr(settings, missing, "")
    with pytest.raises(SmsConfigurationError):
        HttpSmsBackend()
    with pytest.raises(SmsError):
        send_sms(phone=PHONE, text=TEXT)
    assert http_sms.received == []


def test_send_sms_uses_the_configured_backend(http_sms):
    assert send_sms(phone=PHONE, text=TEXT) == "msg-1"
    assert http_sms.received[0].json["phone"] == PHONE
    assert sms.outbox == []  # the console backend was not used


def test_failures_are_logged_without_the_text(http_sms, caplog):
    http_sms.answer = "refuse"
    with caplog.at_level(logging.INFO, logger="accounts.sms"), pytest.raises(SmsError):
        send_sms(phone=PHONE, text="code 654321")
    assert "138****8000" in caplog.text
    assert "654321" not in caplog.text
    assert "+8613800138000" not in caplog.text


# Through allauth's real views ------------------------------------------------


def test_login_code_is_delivered_to_the_provider(client, villager, http_sms):
    response = request_code(client, "138 0013 8000")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_confirm_login_code")
    [got] = http_sms.received
    assert got.signature_ok and got.timestamp_fresh
    body = got.json
    assert body["phone"] == PHONE
    assert body["text"].startswith("【乡约】")
    code = re.search(r"\b(\d{6})\b", body["text"]).group(1)
    assert sms.outbox == []

    response = client.post(reverse("account_confirm_login_code"), {"code": code})

    assert response["Location"] == reverse("accounts:me")
    assert client.session[SESSION_KEY] == str(villager.pk)


def test_login_code_text_is_chinese_for_a_chinese_browser(villager, http_sms):
    from django.test import Client

    chinese = Client(headers={"accept-language": "zh-hans"})
    request_code(chinese, "13800138000")
    body = http_sms.received[0].body
    json.loads(body)  # valid JSON whatever the language
    assert body.decode("utf-8")  # and valid UTF-8


@pytest.mark.parametrize("answer", ["refuse", "error500", "not_json", "hang"])
def test_provider_failure_gives_a_clear_message_not_a_500(
    client, villager, http_sms, settings, answer
):
    settings.SMS_HTTP_TIMEOUT = 0.3
    http_sms.answer = answer

    response = request_code(client, "138 0013 8000")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_request_login_code")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert SMS_FAILED in page.content.decode()
    assert "message-error" in page.content.decode()
    assert SESSION_KEY not in client.session
    # No half-made login is left behind: the code page sends the person back.
    confirm = client.get(reverse("account_confirm_login_code"))
    assert confirm["Location"] == reverse("account_request_login_code")


def test_after_a_failure_the_person_can_ask_again(client, villager, http_sms):
    http_sms.answer = "error500"
    request_code(client, "13800138000")

    http_sms.answer = "ok"
    response = request_code(client, "13800138000")

    assert response["Location"] == reverse("account_confirm_login_code")
    code = re.search(r"\b(\d{6})\b", http_sms.received[-1].json["text"]).group(1)
    client.post(reverse("account_confirm_login_code"), {"code": code})
    assert client.session[SESSION_KEY] == str(villager.pk)


def test_failure_on_resend_keeps_the_first_code(client, villager, http_sms, settings):
    settings.ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = True
    confirm_url = reverse("account_confirm_login_code")
    request_code(client, "13800138000")
    code = re.search(r"\b(\d{6})\b", http_sms.received[-1].json["text"]).group(1)

    http_sms.answer = "error500"
    response = client.post(confirm_url, {"action": "resend"})

    assert response.status_code == 302
    assert response["Location"] == confirm_url
    assert SMS_FAILED in client.get(confirm_url).content.decode()
    client.post(confirm_url, {"code": code})
    assert client.session[SESSION_KEY] == str(villager.pk)


def test_failure_while_verifying_a_phone_after_password_login(
    client, villager, http_sms
):
    villager.phone_verified = False
    villager.save()
    http_sms.answer = "error500"

    response = client.post(
        reverse("account_login"),
        {"login": "138 0013 8000", "password": "correct horse battery"},
        follow=True,
    )

    assert response.status_code == 200
    assert SMS_FAILED in response.content.decode()
    assert SESSION_KEY not in client.session

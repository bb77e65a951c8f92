"""Sending text messages.

One setting, ``SMS_BACKEND``, picks the backend: the console backend in development
and tests, a provider's backend in production. Login codes and notifications both
go through :func:`send_sms`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import sys
import time
import uuid
from dataclasses import dataclass

import requests
from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Messages sent by the console backend in this process, newest last (tests read it).
outbox: list[SmsMessage] = []


@dataclass(frozen=True)
class SmsMessage:
    phone: str  # E.164
    text: str


class SmsError(Exception):
    """The provider did not accept the message."""


class SmsBackend:
    """The interface every SMS backend implements."""

    def send(self, message: SmsMessage) -> str:
        """Send one message; return the provider's message id or raise SmsError."""
        raise NotImplementedError


class ConsoleSmsBackend(SmsBackend):
    """Prints every message (development, tests) and keeps it in ``outbox``."""

    def send(self, message: SmsMessage) -> str:
        outbox.append(message)
        sys.stdout.write(f"[SMS to {message.phone}] {message.text}\n")
        sys.stdout.flush()
        return f"console-{len(outbox)}"


class HttpSmsBackend(SmsBackend):
    """A provider reached over HTTPS with a signed JSON request.

    Request: ``POST {SMS_HTTP_URL}`` with ``Content-Type: application/json`` and body::

        {"id": "<uuid4, idempotency key>", "phone": "+8613800138000",
         "sign_name": "乡约", "text": "【乡约】您的验证码是 123456 ..."}

    Headers: ``X-Key-Id: {SMS_HTTP_KEY_ID}``, ``X-Timestamp: <unix seconds>`` and
    ``X-Signature: hex(HMAC-SHA256(SMS_HTTP_SECRET, "{timestamp}\\n{body}"))``
    where body is the exact bytes sent. The provider answers ``200`` with
    ``{"code": "OK", "message_id": "..."}``; any other status or code is a failure.
    Requests time out after ``SMS_HTTP_TIMEOUT`` seconds and are not retried here:
    the caller decides (a login code is re-requested by the person, a notification
    task is retried by the queue).
    """

    def __init__(
        self,
        url: str | None = None,
        key_id: str | None = None,
        secret: str | None = None,
        sign_name: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.url = url or settings.SMS_HTTP_URL
        self.key_id = key_id or settings.SMS_HTTP_KEY_ID
        self.secret = secret or settings.SMS_HTTP_SECRET
        self.sign_name = sign_name or settings.SMS_HTTP_SIGN_NAME
        self.timeout = timeout or settings.SMS_HTTP_TIMEOUT
        if not (self.url and self.key_id and self.secret):
            raise SmsError("SMS_HTTP_URL, SMS_HTTP_KEY_ID and SMS_HTTP_SECRET are required.")

    @staticmethod
    def signature(secret: str, timestamp: str, body: bytes) -> str:
        payload = timestamp.encode() + b"\n" + body
        return hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()

    def send(self, message: SmsMessage) -> str:
        body = json.dumps(
            {
                "id": str(uuid.uuid4()),
                "phone": message.phone,
                "sign_name": self.sign_name,
                "text": f"【{self.sign_name}】{message.text}",
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Key-Id": self.key_id,
            "X-Timestamp": timestamp,
            "X-Signature": self.signature(self.secret, timestamp, body),
        }
        try:
            response = requests.post(self.url, data=body, headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:
            raise SmsError(f"SMS provider unreachable: {exc}") from exc
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if response.status_code != 200 or answer.get("code") != "OK":
            raise SmsError(
                f"SMS provider refused the message: HTTP {response.status_code} "
                f"{answer.get('code', '')} {answer.get('message', '')}".strip()
            )
        return str(answer.get("message_id", ""))


def get_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(*, phone: str, text: str) -> str:
    """Send one text through the configured backend; raises SmsError on failure."""
    message_id = get_backend().send(SmsMessage(phone=phone, text=text))
    logger.info("SMS sent to %s…%s", phone[:6], phone[-2:])
    return message_id

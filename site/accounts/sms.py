"""Sending text messages.

One setting, ``SMS_BACKEND``, picks the backend: the console backend in development
and tests, :class:`HttpSmsBackend` (or another provider's backend) in production.
Login codes and notifications both go through :func:`send_sms`, which raises
:class:`SmsError` when a text could not be handed to the provider; callers turn
that into a message the person understands.
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

from django.conf import settings
from django.utils.module_loading import import_string

import requests

from accounts.phones import mask_phone

logger = logging.getLogger(__name__)

# Messages sent by the console backend in this process, newest last (tests read it).
outbox: list[SmsMessage] = []


@dataclass(frozen=True)
class SmsMessage:
    phone: str  # E.164
    text: str


class SmsError(Exception):
    """The text could not be handed to the provider (refused, failed, unreachable)."""


class SmsConfigurationError(SmsError):
    """The backend is missing settings; nothing can be sent until they are fixed."""


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

    Request: ``POST {SMS_HTTP_URL}`` with
    ``Content-Type: application/json; charset=utf-8`` and a UTF-8 body (Chinese
    characters as they are, not ``\\u`` escapes)::

        {"id": "<uuid4, idempotency key>", "phone": "+8613800138000",
         "sign_name": "乡约", "text": "【乡约】您的验证码是 123456 ..."}

    Headers: ``X-Key-Id: {SMS_HTTP_KEY_ID}``, ``X-Timestamp: <unix seconds>`` and
    ``X-Signature: hex(HMAC-SHA256(SMS_HTTP_SECRET, "{timestamp}\\n{body}"))``
    where body is the exact bytes sent. The provider should refuse requests whose
    timestamp is more than a few minutes old (replays) and may use ``id`` to drop
    duplicates. It answers ``200`` with ``{"code": "OK", "message_id": "..."}``;
    any other status, code or body is a failure. Redirects are not followed.

    Requests time out after ``SMS_HTTP_TIMEOUT`` seconds (connecting, and waiting
    for each part of the answer) and are not retried here: the caller decides (a
    login code is re-requested by the person, a notification task is retried by
    the queue).
    """

    def __init__(
        self,
        url: str | None = None,
        key_id: str | None = None,
        secret: str | None = None,
        sign_name: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.url = url if url is not None else settings.SMS_HTTP_URL
        self.key_id = key_id if key_id is not None else settings.SMS_HTTP_KEY_ID
        self.secret = secret if secret is not None else settings.SMS_HTTP_SECRET
        self.sign_name = (
            sign_name if sign_name is not None else settings.SMS_HTTP_SIGN_NAME
        )
        self.timeout = float(
            timeout if timeout is not None else settings.SMS_HTTP_TIMEOUT
        )
        if not (self.url and self.key_id and self.secret and self.sign_name):
            raise SmsConfigurationError(
                "SMS_HTTP_URL, SMS_HTTP_KEY_ID, SMS_HTTP_SECRET and "
                "SMS_HTTP_SIGN_NAME are required."
            )
        if self.timeout <= 0:
            raise SmsConfigurationError("SMS_HTTP_TIMEOUT must be positive.")

    @staticmethod
    def signature(secret: str, timestamp: str, body: bytes) -> str:
        payload = timestamp.encode() + b"\n" + body
        return hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()

    def body(self, message: SmsMessage, *, message_id: str) -> bytes:
        return json.dumps(
            {
                "id": message_id,
                "phone": message.phone,
                "sign_name": self.sign_name,
                "text": f"【{self.sign_name}】{message.text}",
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")

    def send(self, message: SmsMessage) -> str:
        body = self.body(message, message_id=str(uuid.uuid4()))
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "X-Key-Id": self.key_id,
            "X-Timestamp": timestamp,
            "X-Signature": self.signature(self.secret, timestamp, body),
        }
        try:
            response = requests.post(
                self.url,
                data=body,
                headers=headers,
                timeout=self.timeout,
                allow_redirects=False,
            )
        except requests.Timeout as exc:
            raise SmsError(
                f"SMS provider did not answer within {self.timeout:g} s"
            ) from exc
        except requests.RequestException as exc:
            raise SmsError(f"SMS provider unreachable: {exc}") from exc
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise SmsError(
                f"SMS provider answered HTTP {response.status_code} without a "
                "JSON object"
            )
        if response.status_code != 200 or answer.get("code") != "OK":
            detail = f"{answer.get('code', '')} {answer.get('message', '')}".strip()
            raise SmsError(
                f"SMS provider refused the message: HTTP {response.status_code} "
                f"{detail[:200]}".strip()
            )
        return str(answer.get("message_id", ""))


def get_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(*, phone: str, text: str) -> str:
    """Send one text through the configured backend; raises SmsError on failure."""
    try:
        message_id = get_backend().send(SmsMessage(phone=phone, text=text))
    except SmsError:
        # Never log the text: it may hold a login code.
        logger.exception("SMS to %s failed", mask_phone(phone))
        raise
    logger.info("SMS sent to %s (id %s)", mask_phone(phone), message_id)
    return message_id

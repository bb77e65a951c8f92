"""A fake SMS provider: a real HTTP server on 127.0.0.1 that checks what
HttpSmsBackend sends the way a provider would (key, HMAC signature, fresh
timestamp) and answers as it is told."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KEY_ID = "xiangyue-test"
SECRET = "fake-provider-secret"
MAX_CLOCK_SKEW = 300  # seconds a timestamp may be off before it counts as a replay


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    signature_ok: bool
    timestamp_fresh: bool

    @property
    def json(self) -> dict:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class FakeSmsProvider:
    """Set ``answer`` to "ok", "refuse", "error500", "not_json", "json_list",
    "redirect" or "hang" before a request."""

    host: str = "127.0.0.1"
    port: int = 0
    answer: str = "ok"
    received: list[Received] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/v1/sms"

    def verify(self, headers: dict[str, str], body: bytes) -> tuple[bool, bool]:
        timestamp = headers.get("x-timestamp", "")
        expected = hmac.new(
            SECRET.encode(), timestamp.encode() + b"\n" + body, hashlib.sha256
        ).hexdigest()
        signature_ok = headers.get("x-key-id") == KEY_ID and hmac.compare_digest(
            expected, headers.get("x-signature", "")
        )
        try:
            fresh = abs(time.time() - int(timestamp)) <= MAX_CLOCK_SKEW
        except ValueError:
            fresh = False
        return signature_ok, fresh


def make_handler(provider: FakeSmsProvider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):  # keep test output quiet
            pass

        def reply(self, status: int, payload: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def reply_json(self, status: int, data) -> None:
            self.reply(status, json.dumps(data).encode(), "application/json")

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            signature_ok, fresh = provider.verify(headers, body)
            provider.received.append(
                Received("POST", self.path, headers, body, signature_ok, fresh)
            )
            if not signature_ok:
                return self.reply_json(401, {"code": "BAD_SIGNATURE"})
            if not fresh:
                return self.reply_json(401, {"code": "STALE_TIMESTAMP"})
            answer = provider.answer
            if answer == "hang":
                provider.release.wait(timeout=10)
                return self.reply_json(200, {"code": "OK", "message_id": "late"})
            if answer == "refuse":
                return self.reply_json(
                    200, {"code": "MOBILE_BLACKLISTED", "message": "号码在黑名单中"}
                )
            if answer == "error500":
                return self.reply(500, b"Internal Server Error", "text/plain")
            if answer == "not_json":
                return self.reply(200, b"<html>OK</html>", "text/html")
            if answer == "json_list":
                return self.reply_json(200, ["OK"])
            if answer == "redirect":
                self.send_response(302)
                self.send_header("Location", provider.url + "/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            message_id = f"msg-{len(provider.received)}"
            return self.reply_json(200, {"code": "OK", "message_id": message_id})

    return Handler


class running_provider:
    def __init__(self) -> None:
        self.provider = FakeSmsProvider()
        self.server = ThreadingHTTPServer(
            (self.provider.host, 0), make_handler(self.provider)
        )
        self.server.daemon_threads = True
        self.provider.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeSmsProvider:
        self.thread.start()
        return self.provider

    def __exit__(self, *exc) -> None:
        self.provider.release.set()  # let a hanging answer finish
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

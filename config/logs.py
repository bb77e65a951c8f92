"""Structured logs: one JSON object per line on stdout, which journald, Docker or
any log shipper reads without a parser of its own; and one line per request with
its id, method, path, status and duration."""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default=""
)
# Attributes every LogRecord has: what is left over came in through ``extra``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request",  # django.request passes the request object: we log its path
}
# An id from the proxy is kept only if it looks like one (nginx's $request_id is
# 32 hex digits); anything else could forge or flood the log.
_GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

request_logger = logging.getLogger("xiangyue.request")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = _request_id.get()
        if request_id:
            data["request_id"] = request_id
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            data.setdefault("method", getattr(request, "method", ""))
            data.setdefault("path", request.path)
        for key, value in record.__dict__.items():
            if key in _STANDARD or key.startswith("_") or key in data:
                continue
            if not isinstance(value, str | int | float | bool | type(None)):
                value = str(value)
            data[key] = value
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        if record.stack_info:
            data["stack"] = self.formatStack(record.stack_info)
        return json.dumps(data, ensure_ascii=False)


def current_request_id() -> str:
    return _request_id.get()


class RequestLogMiddleware:
    """Outermost middleware: names the request (the proxy's X-Request-ID, or a new
    id), sends the id back in the response, and logs one line when it is done. The
    path is logged without its query string, which can carry what people typed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = given if _GOOD_ID.match(given) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = request_id
            return response
        finally:
            if request_logger.isEnabledFor(logging.INFO):
                request_logger.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    status,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                )
            _request_id.reset(token)

"""What production really sends: the values are read from config.settings.production
(in a separate process, with a complete environment) and applied to requests here."""

from __future__ import annotations

import functools
import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

from django.http import HttpResponse
from django.test import RequestFactory, override_settings

import pytest

from tests.config.test_settings import GOOD_ENV, manage

ROOT = Path(__file__).resolve().parent.parent.parent
KEYS = [
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_TRUSTED_ORIGINS",
    "MESSAGE_STORAGE",
    "PERMISSIONS_POLICY",
    "CSP_DEFAULT",
    "CACHES",
    "MIDDLEWARE",
]


def production_settings(**env: str) -> dict:
    """The named settings as config.settings.production computes them."""
    return json.loads(_production_settings(tuple(sorted(env.items()))))


@functools.cache
def _production_settings(env_items: tuple) -> str:
    env = {k: v for k, v in os.environ.items() if k not in GOOD_ENV}
    env.pop("REDIS_URL", None)
    env.update(GOOD_ENV, **dict(env_items))
    code = textwrap.dedent(
        f"""
        import json, sys
        sys.path[:0] = [".", "site"]
        from config.settings import production as p
        print(json.dumps({{k: getattr(p, k) for k in {KEYS!r}}}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def applied(values: dict):
    """override_settings with production's values, minus the cache and middleware
    (tests keep their own cache; the middleware list is the same as here)."""
    values = {k: v for k, v in values.items() if k not in {"CACHES", "MIDDLEWARE"}}
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return override_settings(**values)


HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}


@pytest.fixture
def production():
    values = production_settings()
    with applied(values):
        yield values


def test_plain_http_is_redirected_to_https_except_the_health_check(production, client):
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"
    health = client.get("/healthz/")
    assert health.status_code != 301  # answered (or not found) over plain HTTP
    # Only that path: a look-alike is redirected like any other.
    assert client.get("/healthzx/").status_code == 301


def test_secure_responses_carry_every_security_header(production, client, db):
    response = client.get("/accounts/login/", **HTTPS)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains"
    )
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=(self)" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_csrf_cookie_is_secure_httponly_lax_and_host_only(production, client, db):
    response = client.get("/accounts/login/", **HTTPS)
    cookie = response.cookies["__Host-csrftoken"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax" and cookie["path"] == "/"
    assert not cookie["domain"]  # __Host- cookies carry no Domain


def test_session_cookie_is_secure_httponly_lax_and_host_only(production, db):
    from django.contrib.sessions.middleware import SessionMiddleware

    def view(request):
        request.session["seen"] = True
        return HttpResponse("ok")

    response = SessionMiddleware(view)(RequestFactory().get("/", secure=True))
    cookie = response.cookies["__Host-sessionid"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax" and cookie["path"] == "/"
    assert not cookie["domain"]


def test_messages_live_in_the_session_not_in_a_cookie_of_their_own(production, db):
    """A message ("验证码错误", "已兑换") rides in the __Host- session cookie's
    record: no ``messages`` cookie without Secure, HttpOnly or the host prefix."""
    from django.contrib import messages
    from django.contrib.messages.middleware import MessageMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware

    assert production["MESSAGE_STORAGE"] == (
        "django.contrib.messages.storage.session.SessionStorage"
    )

    def view(request):
        messages.success(request, "已保存")
        return HttpResponse("ok")

    handler = SessionMiddleware(MessageMiddleware(view))
    response = handler(RequestFactory().get("/", secure=True))
    assert set(response.cookies) == {"__Host-sessionid"}
    cookie = response.cookies["__Host-sessionid"]
    assert cookie["secure"] and cookie["httponly"] and not cookie["domain"]

    # The next page shows the message, and then it is gone.
    def reader(request):
        return HttpResponse(" ".join(str(m) for m in messages.get_messages(request)))

    again = RequestFactory().get("/", secure=True)
    again.COOKIES["__Host-sessionid"] = cookie.value
    assert SessionMiddleware(MessageMiddleware(reader))(again).content.decode() == (
        "已保存"
    )


def test_a_logged_in_session_survives_under_production_cookies(
    production, client, resident
):
    """The renamed cookies work end to end: the CSRF check passes with them."""
    client.force_login(resident)
    page = client.get("/me/", **HTTPS)
    assert page.status_code == 200
    client.cookies["__Host-csrftoken"] = "a" * 32
    response = client.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/", "csrfmiddlewaretoken": "a" * 32},
        HTTP_REFERER="https://testserver/",
        **HTTPS,
    )
    assert response.status_code == 302


def test_hsts_preload_only_when_the_operator_asks():
    assert production_settings()["SECURE_HSTS_PRELOAD"] is False
    assert production_settings(HSTS_PRELOAD="1")["SECURE_HSTS_PRELOAD"] is True


def test_check_deploy_passes_with_preload_asked_for_too():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**GOOD_ENV, "HSTS_PRELOAD": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_still_fails_on_a_real_weakness(tmp_path):
    """The silenced preload warning silences nothing else: no HSTS would fail."""
    (tmp_path / "weak_settings.py").write_text(
        "from config.settings.production import *\nSECURE_HSTS_SECONDS = 0\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k not in GOOD_ENV}
    env.update(
        GOOD_ENV, DJANGO_SETTINGS_MODULE="weak_settings", PYTHONPATH=str(tmp_path)
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


# -- the rate limits' cache -------------------------------------------------------


def test_production_rate_limits_use_the_database_cache_without_redis():
    caches = production_settings()["CACHES"]
    assert caches["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def test_production_rate_limits_use_redis_when_given():
    caches = production_settings(REDIS_URL="redis://10.0.0.5:6379/2")["CACHES"]
    assert caches["default"]["BACKEND"] == "operations.cache.FailoverRedisCache"
    assert caches["default"]["LOCATION"] == "redis://10.0.0.5:6379/2"
    # While Redis does not answer, the counts go on in the shared database cache.
    assert (
        caches["fallback"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    )


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


def test_two_production_processes_share_one_redis_counter():
    """What allauth's rate limits rely on: a count made in one worker process is
    seen by the next, through production's cache."""
    if not _redis_up():
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is not running at 127.0.0.1:6379")
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    key = f"xiangyue-test-{os.getpid()}"
    code = textwrap.dedent(
        f"""
        import django, sys
        sys.path[:0] = [".", "site"]
        django.setup()
        from django.core.cache import cache
        cache.add({key!r}, 0, 60)
        print(cache.incr({key!r}))
        """
    )
    env = {k: v for k, v in os.environ.items() if k not in GOOD_ENV}
    env.update(
        GOOD_ENV,
        REDIS_URL="redis://127.0.0.1:6379/14",
        DJANGO_SETTINGS_MODULE="config.settings.production",
    )
    counts = [
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout.strip()
        for _ in range(3)
    ]
    assert counts == ["1", "2", "3"]

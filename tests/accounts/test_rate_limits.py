"""Login-code rate limits hold however many worker processes serve the requests.

allauth keeps its rate-limit counters in the Django cache. Production runs several
gunicorn workers, so the cache must be shared (Redis or the database): a per-process
cache (LocMem) would give every worker its own allowance.
"""

import json
import os
import runpy
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

import pytest

from accounts import sms
from accounts.adapter import AccountAdapter
from tests.accounts.conftest import PHONE, english

REQUEST_URL = reverse("account_request_login_code")
CONFIRM_URL = reverse("account_confirm_login_code")
CACHE_TABLE = "test_rate_limit_cache"
TOO_MANY = AccountAdapter.error_messages["too_many_login_attempts"]
TOO_MANY_CODES = "This number has asked for too many codes."
ROOT = Path(__file__).resolve().parents[2]
BASE_SETTINGS = str(ROOT / "config" / "settings" / "base.py")


DATABASE_CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": CACHE_TABLE,
    }
}


@pytest.fixture
def database_cache(db):
    # override_settings rather than the settings fixture: the cache must be back
    # to LocMem before the database goes away at teardown.
    with override_settings(CACHES=DATABASE_CACHES):
        call_command("createcachetable", verbosity=0)
        cache.clear()
        yield
        cache.clear()


def worker(ip: str) -> Client:
    """A browser whose requests land on some worker: its own session and cookies."""
    return Client(headers={"accept-language": "en"}, REMOTE_ADDR=ip)


def ask_for_code(client: Client, typed: str):
    # A pending code sends the person back to the code page without counting,
    # so drop it first, as the "start again" button does.
    client.post(reverse("account_logout"), {"next": REQUEST_URL})
    return client.post(REQUEST_URL, {"phone": typed})


def cache_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {CACHE_TABLE}")  # noqa: S608
        return cursor.fetchone()[0]


def test_fourth_code_request_within_a_minute_is_refused_across_sessions(
    villager, database_cache
):
    first, second = worker("10.0.0.1"), worker("10.0.0.2")
    # The same number typed three ways counts as one number.
    for client, typed in [
        (first, "138 0013 8000"),
        (second, "+86 138 0013 8000"),
        (first, "0086-13800138000"),
    ]:
        response = ask_for_code(client, typed)
        assert response.status_code == 302, response.content.decode()
        assert response["Location"] == CONFIRM_URL
    assert [m.phone for m in sms.outbox] == [PHONE] * 3
    assert cache_rows() > 0  # the counters live in the shared table

    response = ask_for_code(second, "13800138000")

    assert response.status_code == 200
    [error] = response.context["form"].errors["phone"]
    assert error.startswith(TOO_MANY_CODES)
    assert english(TOO_MANY) not in response.content.decode()
    assert len(sms.outbox) == 3


def test_the_limit_is_per_number(villager, database_cache):
    from tests.factories import UserFactory

    UserFactory(phone="+8613900139000")
    client = worker("10.0.0.1")
    for _ in range(3):
        assert ask_for_code(client, "13800138000").status_code == 302
    assert ask_for_code(client, "13800138000").status_code == 200

    assert ask_for_code(client, "13900139000").status_code == 302
    assert [m.phone for m in sms.outbox][-1] == "+8613900139000"


def test_the_limit_lifts_after_a_minute(villager, database_cache):
    import time as real_time
    from types import SimpleNamespace
    from unittest import mock

    client = worker("10.0.0.1")
    for _ in range(3):
        ask_for_code(client, "13800138000")
    assert ask_for_code(client, "13800138000").status_code == 200

    later = real_time.time() + 61
    clock = SimpleNamespace(
        time=lambda: later, monotonic=real_time.monotonic, sleep=real_time.sleep
    )
    with mock.patch("allauth.core.internal.ratelimit.time", clock):
        response = ask_for_code(client, "13800138000")

    assert response.status_code == 302
    assert len(sms.outbox) == 4


WORKER_SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    sys.path[:0] = [os.environ["XY_ROOT"], os.path.join(os.environ["XY_ROOT"], "site")]
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    from django.conf import settings
    import django
    django.setup()
    from django.db import connections
    connections["default"].settings_dict["NAME"] = os.environ["XY_DB_NAME"]
    from django.test import Client, override_settings
    from accounts import sms
    client = Client(headers={"accept-language": "en"}, REMOTE_ADDR=sys.argv[2])
    response = client.post("/accounts/login/code/", {"phone": sys.argv[1]})
    print(json.dumps({"status": response.status_code,
                      "location": response.get("Location"),
                      "sent": [m.phone for m in sms.outbox]}))
    """
)


def run_worker_process(typed: str, ip: str, cache_settings: dict, db_name: str) -> dict:
    env = {
        **os.environ,
        "XY_ROOT": str(ROOT),
        "XY_DB_NAME": db_name,
        "XY_CACHES": json.dumps(cache_settings),
    }
    script = WORKER_SCRIPT.replace(
        "django.setup()",
        "settings.CACHES = json.loads(os.environ['XY_CACHES'])\ndjango.setup()",
    )
    result = subprocess.run(
        [sys.executable, "-c", script, typed, ip],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def shared_database_name(tmp_path: Path) -> str:
    """A database the worker processes can open: the test database itself, or,
    when that is SQLite in memory (invisible to other processes), a file copy of
    it, cache table and committed rows included."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        target = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return str(target)
    return str(connection.settings_dict["NAME"])


@pytest.mark.django_db(transaction=True)
def test_limit_holds_across_real_worker_processes(database_cache, villager, tmp_path):
    """Four separate Python processes, like four gunicorn workers, share one
    database cache: the fourth request is refused and sends nothing."""
    caches = DATABASE_CACHES
    db_name = shared_database_name(tmp_path)
    answers = [
        run_worker_process(typed, f"10.0.1.{n}", caches, db_name)
        for n, typed in enumerate(
            ["138 0013 8000", "+8613800138000", "0086-13800138000"], start=1
        )
    ]
    for answer in answers:
        assert answer == {
            "status": 302,
            "location": CONFIRM_URL,
            "sent": [PHONE],
        }

    fourth = run_worker_process("13800138000", "10.0.1.4", caches, db_name)

    assert fourth == {"status": 200, "location": None, "sent": []}


def test_base_settings_use_a_shared_cache(monkeypatch):
    shared = {
        "django.core.cache.backends.redis.RedisCache",
        "django.core.cache.backends.db.DatabaseCache",
    }
    monkeypatch.delenv("REDIS_URL", raising=False)
    without_redis = runpy.run_path(BASE_SETTINGS)["CACHES"]
    assert without_redis["default"]["BACKEND"] == (
        "django.core.cache.backends.db.DatabaseCache"
    )

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/1")
    with_redis = runpy.run_path(BASE_SETTINGS)["CACHES"]
    # Redis, with the database cache standing in while Redis does not answer
    # (operations.cache): shared by every process either way.
    assert with_redis["default"]["BACKEND"] == "operations.cache.FailoverRedisCache"
    assert with_redis["fallback"]["BACKEND"] in shared
    assert with_redis["default"]["LOCATION"] == "redis://127.0.0.1:6379/1"

    shared.add("operations.cache.FailoverRedisCache")
    for caches in (without_redis, with_redis):
        for alias in caches.values():
            assert alias["BACKEND"] in shared
            assert "locmem" not in alias["BACKEND"].lower()
            assert "dummy" not in alias["BACKEND"].lower()


def test_base_settings_rate_limit_login_codes():
    from config.settings import base

    limits = base.ACCOUNT_RATE_LIMITS["request_login_code"]
    assert "3/m/key" in limits.split(",")
    assert base.ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS == 3


def test_too_many_codes_says_when_a_new_one_can_be_asked_for(villager, client):
    """Not "too many failed logins" (nothing failed): the number asked for too
    many codes, and the page says at what time it may ask again."""
    import time as real_time
    from datetime import datetime
    from types import SimpleNamespace
    from unittest import mock
    from zoneinfo import ZoneInfo

    shanghai = ZoneInfo("Asia/Shanghai")
    now = datetime(2026, 5, 6, 9, 30, 20, tzinfo=shanghai).timestamp()
    clock = SimpleNamespace(
        time=lambda: now, monotonic=real_time.monotonic, sleep=real_time.sleep
    )
    with mock.patch("allauth.core.internal.ratelimit.time", clock):
        for _ in range(3):
            assert ask_for_code(client, "13800138000").status_code == 302
        response = ask_for_code(client, "13800138000")
        assert response.status_code == 200
        [error] = response.context["form"].errors["phone"]
        # A minute after the first of the three, rounded up to a whole minute.
        assert error == f"{TOO_MANY_CODES} A new code can be asked for at 09:32."

        # Ten an hour: the eleventh waits for the first to be an hour old.
        for _ in range(7):
            now += 61
            ask_for_code(client, "13800138000")
        now += 61
        response = ask_for_code(client, "13800138000")
        [error] = response.context["form"].errors["phone"]
        assert error.endswith("at 10:31.")

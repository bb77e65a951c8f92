"""Production settings refuse to start half-configured and pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
GOOD_ENV = {
    "SECRET_KEY": "x" * 20 + "-production-secret-for-the-check-only-" + "y" * 20,
    "ALLOWED_HOSTS": "xiangyue.example.cn",
    "DATABASE_URL": "postgres://xiangyue@127.0.0.1:5432/xiangyue",
    "SITE_URL": "https://xiangyue.example.cn",
    "SMS_BACKEND": "accounts.sms.HttpSmsBackend",
    "SMS_HTTP_URL": "https://sms.example.cn/send",
    "SMS_HTTP_KEY_ID": "key-1",
    "SMS_HTTP_SECRET": "secret-1",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in GOOD_ENV}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=GOOD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must be set"),
        ("DATABASE_URL", "DATABASE_URL must be set"),
        ("SITE_URL", "SITE_URL must be set"),
        ("SMS_HTTP_SECRET", "SMS_HTTP_SECRET must be set"),
        ("SMS_BACKEND", "SMS_BACKEND must name a real provider"),
    ],
)
def test_production_refuses_to_start_without(missing, message):
    env = {k: v for k, v in GOOD_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_sqlite_and_short_keys():
    result = manage("check", env={**GOOD_ENV, "DATABASE_URL": "sqlite:///x.sqlite3"})
    assert result.returncode != 0 and "PostgreSQL" in result.stderr
    result = manage("check", env={**GOOD_ENV, "SECRET_KEY": "short"})
    assert result.returncode != 0 and "50 characters" in result.stderr


def test_rate_limits_use_a_cache_shared_by_processes():
    from config.settings import base

    backend = base.CACHES["default"]["BACKEND"]
    assert backend in {
        "django.core.cache.backends.redis.RedisCache",
        "django.core.cache.backends.db.DatabaseCache",
    }

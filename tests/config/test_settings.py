"""Production settings refuse to start half-configured and pass Django's deploy checks."""

import hashlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
GOOD_ENV = {
    # Computed, so written in no file; random-looking, so production takes it.
    "SECRET_KEY": "check-only-" + hashlib.sha256(b"xiangyue tests").hexdigest(),
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


# --- Weak secrets and empty hosts (issue 15) -----------------------------------
def env_example_value(name: str) -> str:
    for line in (ROOT / "config" / "deploy" / "env.example").read_text().splitlines():
        if line.startswith(f"{name}="):
            return line.split("=", 1)[1]
    raise AssertionError(f"{name} is not in env.example")


def assert_refused(result, *words):
    assert result.returncode != 0, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    # One line for the operator, not a traceback.
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Xiangyue will not start: ")
    for word in words:
        assert word in lines[0]


def test_the_placeholder_key_of_env_example_is_refused():
    placeholder = env_example_value("SECRET_KEY")
    assert len(placeholder) >= 50  # long enough for Django's own check
    result = manage("check", env={**GOOD_ENV, "SECRET_KEY": placeholder})
    assert_refused(result, "published in config/deploy/env.example", "token_urlsafe")


def test_a_key_written_in_any_file_of_the_release_is_refused(tmp_path):
    from config.startup import secret_key_problem

    key = secrets.token_urlsafe(48)
    assert secret_key_problem(key, root=tmp_path) is None
    (tmp_path / "site" / "notices").mkdir(parents=True)
    (tmp_path / "site" / "notices" / "README.md").write_text(f"try `{key}`\n")
    problem = secret_key_problem(key, root=tmp_path)
    assert problem.startswith("SECRET_KEY is published in site/notices/README.md")


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("abc" * 20, "different characters"),
        ("0123456789" * 6, "different characters"),
        # 56 characters, 12 distinct: passes Django's check, typed all the same
        ("xiangyue-2026-" * 4, "repeats itself"),
    ],
)
def test_a_typed_key_is_refused(key, message):
    result = manage("check", env={**GOOD_ENV, "SECRET_KEY": key})
    assert_refused(result, message)


def test_a_placeholder_word_is_refused_even_when_unpublished():
    from config.startup import secret_key_problem

    key = "django-insecure-" + secrets.token_urlsafe(40)
    assert "placeholder" in secret_key_problem(key, root=ROOT)


def test_generated_keys_start():
    from config.startup import secret_key_problem

    for _ in range(500):
        for key in (secrets.token_urlsafe(48), secrets.token_hex(32)):
            assert secret_key_problem(key, root=ROOT) is None, key


@pytest.mark.parametrize("hosts", [" , ", ",", "xiangyue.example.cn,", "a.cn, ,b.cn"])
def test_allowed_hosts_with_an_empty_entry_is_refused(hosts):
    result = manage("check", env={**GOOD_ENV, "ALLOWED_HOSTS": hosts})
    assert_refused(result, "ALLOWED_HOSTS")


def test_a_missing_setting_is_one_line_too():
    env = {k: v for k, v in GOOD_ENV.items() if k != "SITE_URL"}
    assert_refused(manage("check", env=env), "SITE_URL must be set")

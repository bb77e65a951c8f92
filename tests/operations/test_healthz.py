"""/healthz/: 200 when the database, the cache and the migrations are fine, 503
naming what is not. The failures are real: a cache on a closed port, a database
that cannot be reached, a migration record that is missing."""

import copy
import logging
import socket
from contextlib import contextmanager

from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

import pytest

from operations.health import forget_migration_state
from tests.config.test_settings import GOOD_ENV, manage

URL = "/healthz/"


@pytest.fixture(autouse=True)
def _fresh_migration_state():
    forget_migration_state()
    yield
    forget_migration_state()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def database_that_fails(tmp_path):
    """The default connection replaced by one to a database that is not there."""
    original = connections["default"]
    broken = copy.deepcopy(original.settings_dict)
    if original.vendor == "sqlite":
        broken["NAME"] = str(tmp_path / "no-such-folder" / "db.sqlite3")
    else:
        broken["HOST"], broken["PORT"] = "127.0.0.1", closed_port()
    wrapper = original.__class__(broken, alias="default")
    connections["default"] = wrapper
    try:
        yield
    finally:
        wrapper.close()
        connections["default"] = original


@pytest.mark.django_db
def test_all_well_answers_200_with_each_check(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "migrations": "ok"},
    }


@pytest.mark.django_db
def test_no_session_no_csrf_cookie_no_caching(client):
    for _ in range(2):
        response = client.get(URL)
        assert response.status_code == 200
        assert response.cookies == {}
        assert "no-store" in response["Cache-Control"]
        assert "X-Page-Cache" not in response
    assert client.head(URL).status_code == 200
    assert client.post(URL).status_code == 405


@pytest.mark.django_db
def test_the_same_answer_in_every_language(client):
    chinese = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert chinese.content == english.content


@pytest.mark.django_db
def test_answers_plain_http_behind_the_ssl_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    assert client.get(URL).status_code == 200
    assert client.get("/liuxi/").status_code == 301


def test_production_settings_exempt_it_from_the_ssl_redirect():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "import re; from django.conf import settings; "
        "print(settings.SECURE_SSL_REDIRECT, "
        "any(re.search(p, 'healthz/') for p in settings.SECURE_REDIRECT_EXEMPT))",
        env=GOOD_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]


@pytest.mark.django_db
def test_cache_on_a_closed_port_answers_503(client, caplog):
    down = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    with (
        override_settings(CACHES=down),
        caplog.at_level(logging.ERROR, logger="operations.health"),
    ):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {
        "status": "fail",
        "checks": {"database": "ok", "cache": "fail", "migrations": "ok"},
    }
    assert "ConnectionError" in caplog.text
    # the reason is logged, not told to whoever asks
    assert b"Connection" not in response.content


@pytest.mark.django_db
def test_database_out_of_reach_answers_503(client, tmp_path, caplog):
    with (
        database_that_fails(tmp_path),
        caplog.at_level(logging.ERROR, logger="operations.health"),
    ):
        response = client.get(URL)
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == "fail"
    assert checks["migrations"] == "fail"
    assert checks["cache"] == "ok"
    assert "OperationalError" in caplog.text


@pytest.mark.django_db
def test_a_pending_migration_answers_503(client):
    last = MigrationRecorder.Migration.objects.filter(app="reports").latest("id")
    last.delete()  # rolled back with the test's transaction
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "pending"


@pytest.mark.django_db
def test_the_migration_state_is_read_once_per_process(
    client, django_assert_num_queries
):
    # the first probe looks for the migration table and reads it; later ones
    # only ask the database for SELECT 1 (the test cache is in memory: no query)
    with django_assert_num_queries(3):
        assert client.get(URL).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(URL).status_code == 200

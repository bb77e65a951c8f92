"""With PostgreSQL stopped, a page answers a 503 page in Chinese at once (no
traceback, no hang), and when PostgreSQL is back the same process serves again
without a restart. A cluster of the test's own is stopped and started
(tests/operations/servers.py); the requests go through Django's handler with
production's database settings (persistent connections, health checks,
connect_timeout) and DEBUG off."""

import json
from wsgiref.util import setup_testing_defaults

from django.apps import apps
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command

import pytest

from tests.config.test_settings import GOOD_ENV, manage
from tests.operations.servers import OwnPostgres, production_database, serving_from


def wsgi_get(path: str) -> tuple[int, dict, str]:
    """A GET through Django's real WSGI handler, as gunicorn calls it: with the
    request_started/finished signals that close or check old connections (the
    test Client switches those off)."""
    environ = {}
    setup_testing_defaults(environ)
    environ["PATH_INFO"] = path
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(headers)

    result = WSGIHandler()(environ, start_response)
    try:
        body = b"".join(result).decode()
    finally:
        result.close()
    return answer["status"], answer["headers"], body


@pytest.fixture
def own_postgres():
    server = OwnPostgres()
    server.start()
    yield server
    server.remove()


def test_the_production_settings_bound_the_wait_for_postgresql():
    code = (
        "from django.conf import settings; import json; d = settings.DATABASES"
        "['default']; print(json.dumps([d['OPTIONS'], d['CONN_HEALTH_CHECKS']]))"
    )
    result = manage("shell", "-c", code, env=GOOD_ENV)
    assert result.returncode == 0, result.stderr
    options, health_checks = json.loads(result.stdout.splitlines()[-1])
    assert 0 < options["connect_timeout"] <= 5
    assert health_checks is True


def test_a_stopped_postgresql_answers_503_in_chinese_and_recovers(
    own_postgres, settings, django_db_blocker
):
    settings.DEBUG = False
    # Tables without the ~185 migrations: a few seconds instead of twenty.
    settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
    with django_db_blocker.unblock(), serving_from(production_database(own_postgres)):
        call_command("migrate", run_syncdb=True, verbosity=0)
        status, _, _ = wsgi_get("/")
        assert status == 200

        own_postgres.stop()
        status, headers, page = wsgi_get("/")
        assert status == 503
        assert "网站暂时连不上数据库" in page
        assert "Traceback" not in page and "OperationalError" not in page
        assert headers["Retry-After"] == "60"

        own_postgres.start()
        status, _, page = wsgi_get("/")
        assert status == 200, page


def test_other_errors_stay_500():
    """Only a database that does not answer is a 503: a bug is still a 500."""
    from django.db.utils import OperationalError, ProgrammingError

    from operations.views import _database_down

    assert not _database_down(ProgrammingError("relation does not exist"))
    assert not _database_down(ValueError("bug"))
    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as error:
            raise RuntimeError("while rendering") from error
    except RuntimeError as wrapped:
        assert _database_down(wrapped)

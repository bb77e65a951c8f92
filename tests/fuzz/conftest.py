"""The world is built once per module inside a transaction that is rolled back at
the end; each test runs in a savepoint of it, and each example in a savepoint of
the test (tests.fuzz.runner.send)."""

from django.db import transaction

import pytest

from tests.fuzz.world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def pytest_terminal_summary(terminalreporter):
    from tests.fuzz.runner import SENT

    if SENT["requests"]:
        terminalreporter.write_line(f"form fuzzing: {SENT['requests']} requests sent")

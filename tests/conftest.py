from django.core.cache import cache
from django.utils import translation

import pytest

from accounts import sms
from tests.factories import (
    GridFactory,
    HouseholdFactory,
    MembershipFactory,
    SupervisorFactory,
    VillageFactory,
)


@pytest.fixture(autouse=True)
def _isolation(settings, tmp_path):
    """Every test starts with an empty cache (rate limits), SMS outbox and media,
    and in the default language (a request leaves its language active in the
    thread, as LocaleMiddleware does)."""
    translation.activate(settings.LANGUAGE_CODE)
    cache.clear()
    sms.outbox.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_ROOT = tmp_path / "private"
    yield
    cache.clear()


@pytest.fixture
def village(db):
    return VillageFactory(name="柳溪村", slug="liuxi")


@pytest.fixture
def other_village(db, village):
    return VillageFactory(area=village.area, name="桃园村", slug="taoyuan")


@pytest.fixture
def grid(village):
    return GridFactory(village=village, name="第一网格")


@pytest.fixture
def household(village, grid):
    return HouseholdFactory(village=village, grid=grid, number="LX-001")


def _member(village, **roles):
    return MembershipFactory(village=village, **roles).user


@pytest.fixture
def resident(village, household):
    return MembershipFactory(
        village=village, household=household, grid=household.grid, relation="child"
    ).user


@pytest.fixture
def household_rep(village, household):
    return MembershipFactory(
        village=village,
        household=household,
        grid=household.grid,
        relation="head",
        is_household_rep=True,
    ).user


@pytest.fixture
def committee(village):
    return _member(village, is_committee=True)


@pytest.fixture
def grid_worker(village, grid):
    return MembershipFactory(village=village, grid=grid, is_grid_worker=True).user


@pytest.fixture
def shopkeeper(village):
    return _member(village, is_resident=False, is_shopkeeper=True)


@pytest.fixture
def monitor(village):
    return _member(village, is_monitor=True)


@pytest.fixture
def supervisor(village):
    return SupervisorFactory(area=village.area).user


@pytest.fixture
def other_committee(other_village):
    return _member(other_village, is_committee=True)


_lifted_delete_triggers: list[str] = []
_lifted_frozen_triggers: list[str] = []


@pytest.fixture(autouse=True)
def _sqlite_flush_past_append_only_tables(request, django_db_blocker):
    """SQLite empties tables after a transactional test with DELETE, which the
    append-only triggers refuse (PostgreSQL uses TRUNCATE). Lift the DELETE triggers
    for that flush only, and put them back before the next test starts."""
    from django.db import connection

    from audit.append_only import sqlite_delete_trigger, sqlite_protected_tables

    if _lifted_delete_triggers:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            for table in _lifted_delete_triggers:
                cursor.execute(sqlite_delete_trigger(table))
            for sql in _lifted_frozen_triggers:
                cursor.execute(sql)
        _lifted_delete_triggers.clear()
        _lifted_frozen_triggers.clear()
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up before us, torn down after
    yield
    if connection.vendor != "sqlite":
        return
    tables = sqlite_protected_tables(connection)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        # Rows frozen once final (points.guards): kept verbatim, put back as they were.
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE '%\\_frozen\\_delete' ESCAPE '\\'"
        )
        frozen = cursor.fetchall()
        for name, _sql in frozen:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    _lifted_delete_triggers.extend(tables)
    _lifted_frozen_triggers.extend(sql for _name, sql in frozen)


@pytest.fixture
def english(settings):
    """For tests that assert messages in their English source, whatever the
    Chinese catalogue says: `pytestmark = pytest.mark.usefixtures("english")`."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield

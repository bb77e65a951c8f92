"""The crawler's world is built once for the module, inside a transaction that is
rolled back at the end; every request runs in a savepoint rolled back after it, so
no request sees what another one wrote."""

from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

import pytest

from accounts import sms
from tests.permissions.world import build_world


@pytest.fixture(autouse=True)
def _isolation():
    """Replaces the suite's per-test isolation: the world's photos live under the
    module's media and private roots, which must not move between tests."""
    cache.clear()
    sms.outbox.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    root = tmp_path_factory.mktemp("permissions")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=root / "media", PRIVATE_ROOT=root / "private"),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def clients(world):
    """One client per role, logged in once."""
    made = {}
    for role, user in world.users.items():
        made[role] = Client(raise_request_exception=True)
        if user is not None:
            made[role].force_login(user)
    return made

"""``migrate`` makes the database cache's table, so a deployment without Redis (and
a management command such as ``manage.py shell`` saving a page) never meets
"relation xiangyue_cache does not exist"."""

from django.core.cache import cache
from django.db import connection

import pytest

pytestmark = pytest.mark.django_db


def test_migrate_makes_the_database_cache_table():
    assert "xiangyue_cache" in connection.introspection.table_names()


def test_the_database_cache_works_after_migrate_alone(settings):
    settings.CACHES = {"default": settings.DATABASE_CACHE}
    cache.set("page-generation", "g1", None)
    assert cache.get("page-generation") == "g1"

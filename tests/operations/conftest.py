"""A second, fresh database for restores, on the vendor the tests run on, and a
way to point the default connection at it for a while."""

import copy
import uuid
from contextlib import contextmanager

from django.db import connections

import pytest


@contextmanager
def connected_to(settings_dict):
    """Everything that uses the default connection (the ORM, transactions, raw
    cursors, management commands) talks to ``settings_dict``'s database inside."""
    original = connections["default"]
    wrapper = original.__class__(settings_dict, alias="default")
    connections["default"] = wrapper
    try:
        yield wrapper
    finally:
        wrapper.close()
        connections["default"] = original


def _postgres_admin(settings_dict):
    import psycopg
    from psycopg.conninfo import make_conninfo

    keys = {"HOST": "host", "PORT": "port", "USER": "user", "PASSWORD": "password"}
    params = {keys[k]: str(v) for k, v in settings_dict.items() if k in keys and v}
    return psycopg.connect(make_conninfo(dbname="postgres", **params), autocommit=True)


@pytest.fixture
def fresh_database(tmp_path):
    """The settings of a new, empty database: a new file on SQLite, a database
    made with psycopg on PostgreSQL (dropped afterwards)."""
    from psycopg import sql

    original = connections["default"].settings_dict
    fresh = copy.deepcopy(original)
    if connections["default"].vendor == "sqlite":
        fresh["NAME"] = str(tmp_path / "restored.sqlite3")
        yield fresh
        return
    fresh["NAME"] = f"{original['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    name = sql.Identifier(fresh["NAME"])
    with _postgres_admin(original) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(name))
    try:
        yield fresh
    finally:
        with _postgres_admin(original) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name)
            )

"""How far a running import has got, readable by other requests while it runs.

The import writes the whole roster in one transaction, so that a failure leaves the
village as it was. Progress written on that transaction's connection would stay
invisible to the progress page until the commit (PostgreSQL isolation), so it has to
travel around the transaction:

* On PostgreSQL (any backend that lets several connections write at once) the
  worker opens a second, private connection in autocommit mode and updates
  `processed_rows` through it. Each update commits at once and the page reads the
  row as usual. The import's transaction does not touch its own RosterImport row
  until its last statement, after the private connection is closed, so the two
  connections never wait on each other's row lock.
* SQLite has one writer at a time: a second connection would wait for the lock the
  import itself holds. There, and whenever the task already runs inside someone
  else's transaction (the immediate task backend in tests, whose outer transaction
  may hold the row), progress goes to the cache instead. With Redis as the cache
  every process sees it; with the database cache on SQLite it shows at the commit,
  which on a single-writer database is the most that can be had.

The page reads both and shows the larger count.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.utils import load_backend

from roster.models import RosterImport

logger = logging.getLogger(__name__)

CACHE_TIMEOUT = 60 * 60


def _cache_key(import_id: int) -> str:
    return f"roster:import:{import_id}:processed"


def processed_rows(roster_import: RosterImport) -> int:
    if roster_import.status != RosterImport.Status.RUNNING:
        return roster_import.processed_rows
    cached = cache.get(_cache_key(roster_import.pk)) or 0
    return min(max(roster_import.processed_rows, cached), roster_import.total_rows)


def forget(import_id: int) -> None:
    cache.delete(_cache_key(import_id))


def _private_connection(alias: str):
    """A new connection with the same settings as `alias`, not shared with anyone."""
    settings_dict = dict(connections[alias].settings_dict)
    backend = load_backend(settings_dict["ENGINE"])
    return backend.DatabaseWrapper(settings_dict, alias=f"{alias}-roster-progress")


@contextmanager
def progress_writer(import_id: int):
    """Yields `report(n)`, which records that n rows are done."""
    alias = router.db_for_write(RosterImport) or DEFAULT_DB_ALIAS
    main = connections[alias]
    side = None
    if main.vendor == "postgresql" and not main.in_atomic_block:
        side = _private_connection(alias)

    def to_cache(n: int) -> None:
        cache.set(_cache_key(import_id), n, CACHE_TIMEOUT)

    def to_side(n: int) -> None:
        table = main.ops.quote_name(RosterImport._meta.db_table)
        sql = f"UPDATE {table} SET processed_rows = %s WHERE id = %s"  # noqa: S608 - names are ours
        try:
            with side.cursor() as cursor:
                cursor.execute(sql, [n, import_id])
        except Exception:  # progress is a courtesy: never fail the import for it
            logger.warning("could not record roster import progress", exc_info=True)

    report: Callable[[int], None] = to_side if side is not None else to_cache
    try:
        yield report
    finally:
        if side is not None:
            side.close()

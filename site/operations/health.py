"""What the health check looks at: the database, the cache, the migrations.

Each check answers "ok" or names how it failed; the reason goes to the log, not to
whoever asks, since the endpoint is public.
"""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

from operations.schema import pending_migrations

logger = logging.getLogger(__name__)

OK = "ok"
FAIL = "fail"
PENDING = "pending"
# Redis does not answer and the database cache stands in (operations/cache.py):
# the site serves, so the load balancer must keep sending requests; a monitor
# should page someone all the same.
FALLBACK = "fallback"
SERVING = {OK, FALLBACK}

# Once this process has seen every migration applied it stays so (migrations are
# applied before new code starts), so the migration graph is loaded once per
# process, not per probe. A failed or pending answer is asked again next time.
_migrations_applied = False


def forget_migration_state() -> None:
    global _migrations_applied
    _migrations_applied = False


def check_database() -> str:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health check: the database does not answer")
        return FAIL
    return OK


def check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", 10)
        if cache.get(key) != "1":
            logger.error("health check: the cache does not keep what it is given")
            return FAIL
        cache.delete(key)
    except Exception:
        logger.exception("health check: the cache does not answer")
        return FAIL
    if getattr(cache, "degraded", False):
        return FALLBACK
    return OK


def check_migrations() -> str:
    global _migrations_applied
    if _migrations_applied:
        return OK
    try:
        pending = pending_migrations(connections[DEFAULT_DB_ALIAS])
    except Exception:
        logger.exception("health check: the migration state cannot be read")
        return FAIL
    if pending:
        logger.error(
            "health check: %d migration(s) pending, e.g. %s", len(pending), pending[0]
        )
        return PENDING
    _migrations_applied = True
    return OK


def health() -> dict[str, str]:
    return {
        "database": check_database(),
        "cache": check_cache(),
        "migrations": check_migrations(),
    }

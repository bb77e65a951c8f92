"""Rows that freeze once they are the record, enforced by the database itself.

``audit.append_only`` protects tables whose every row is final from its insert (the
ledger's transactions and postings). An entry, a published list and a spent voucher
become the record only at a later step: before it they move through review, after
it nothing of their substance changes, whoever connects. ``freeze`` writes those
triggers for SQLite and PostgreSQL: once ``frozen`` (an SQL condition on ``OLD``)
holds, an UPDATE may change only the ``loose`` columns and what ``allow`` (on ``OLD``
and ``NEW``) permits, and a DELETE is refused; with ``frozen_insert`` (on ``NEW``)
an INSERT that would join a frozen parent is refused too.

Going around these (dropping them, ``session_replication_role``) is what
``ledger_verify`` detects: the frozen substance is in the hash chain.
"""

from __future__ import annotations

# The SQLite test runner lifts DELETE triggers for its flush and puts them back
# (tests/conftest.py); it finds them by these suffixes.
SQLITE_DELETE_SUFFIX = "_frozen_delete"


def _columns(connection, table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [
            c.name
            for c in connection.introspection.get_table_description(cursor, table)
        ]


def freeze(
    schema_editor,
    table: str,
    *,
    frozen: str,
    loose: tuple[str, ...] = (),
    allow: str = "",
    frozen_insert: str = "",
) -> None:
    connection = schema_editor.connection
    vendor = connection.vendor
    same_op = "IS" if vendor == "sqlite" else "IS NOT DISTINCT FROM"
    fixed = [c for c in _columns(connection, table) if c not in loose]
    unchanged = " AND ".join(f'NEW."{c}" {same_op} OLD."{c}"' for c in fixed)
    if allow:
        unchanged = f"({unchanged}) AND ({allow})"
    message = f"{table}: the record is final, % refused"
    if vendor == "postgresql":
        insert_check = (
            f"IF TG_OP = 'INSERT' THEN IF {frozen_insert} THEN "
            f"RAISE EXCEPTION '{message}', TG_OP; END IF; RETURN NEW; END IF;"
            if frozen_insert
            else ""
        )
        schema_editor.execute(
            f"""
CREATE OR REPLACE FUNCTION {table}_frozen() RETURNS trigger AS $$
BEGIN
  {insert_check}
  IF TG_OP = 'DELETE' THEN
    IF {frozen} THEN RAISE EXCEPTION '{message}', TG_OP; END IF;
    RETURN OLD;
  END IF;
  IF ({frozen}) AND NOT ({unchanged}) THEN
    RAISE EXCEPTION '{message}', TG_OP;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
""",
            params=None,
        )
        events = "INSERT OR UPDATE OR DELETE" if frozen_insert else "UPDATE OR DELETE"
        schema_editor.execute(
            f"CREATE TRIGGER {table}_frozen BEFORE {events} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_frozen();"
        )
        return
    if vendor != "sqlite":
        return

    def refuse(op: str) -> str:
        return f"BEGIN SELECT RAISE(ABORT, '{message.replace('%', op)}'); END;"

    schema_editor.execute(
        f"CREATE TRIGGER {table}_frozen_update BEFORE UPDATE ON {table} "
        f"WHEN ({frozen}) AND NOT ({unchanged}) {refuse('UPDATE')}"
    )
    schema_editor.execute(
        f"CREATE TRIGGER {table}{SQLITE_DELETE_SUFFIX} BEFORE DELETE ON {table} "
        f"WHEN {frozen} {refuse('DELETE')}"
    )
    if frozen_insert:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_frozen_insert BEFORE INSERT ON {table} "
            f"WHEN {frozen_insert} {refuse('INSERT')}"
        )


def unfreeze(schema_editor, table: str) -> None:
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table};")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_frozen();")
    elif connection.vendor == "sqlite":
        for suffix in ("_frozen_update", SQLITE_DELETE_SUFFIX, "_frozen_insert"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}{suffix};")

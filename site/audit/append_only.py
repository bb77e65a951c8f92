"""Append-only tables, enforced by the database itself.

Rows of a protected table can be inserted but never updated or deleted, whoever
connects, through the ORM or not. One column may be allowed to change to NULL (the
link to a person whose account is removed), and nothing else about the row.
Used by migrations of the audit log and, later, the ledger.

PostgreSQL: a row trigger. SQLite: BEFORE UPDATE and BEFORE DELETE triggers.
(TRUNCATE is left to the database owner on PostgreSQL; tampering below that level
is what the ledger's hash chain detects.)
"""

from __future__ import annotations

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION xiangyue_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND TG_NARGS > 0
     AND NEW IS DISTINCT FROM OLD
     AND to_jsonb(NEW) ->> TG_ARGV[0] IS NULL
     AND (to_jsonb(NEW) - TG_ARGV[0]) = (to_jsonb(OLD) - TG_ARGV[0]) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def _columns(connection, table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [
            c.name
            for c in connection.introspection.get_table_description(cursor, table)
        ]


def sqlite_delete_trigger(table: str) -> str:
    return (
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE refused'); END;"
    )


def protect(schema_editor, table: str, *, nullable: str | None = None) -> None:
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        # params=None: the function body's % must reach PostgreSQL untouched.
        schema_editor.execute(PG_FUNCTION, params=None)
        args = f"'{nullable}'" if nullable else ""
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION xiangyue_append_only({args});"
        )
    elif connection.vendor == "sqlite":
        if nullable:
            same = " AND ".join(
                f'NEW."{c}" IS OLD."{c}"'
                for c in _columns(connection, table)
                if c != nullable
            )
            allowed = (
                f'NEW."{nullable}" IS NULL AND OLD."{nullable}" IS NOT NULL AND {same}'
            )
            when = f" WHEN NOT ({allowed})"
        else:
            when = ""
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}{when} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END;"
        )
        schema_editor.execute(sqlite_delete_trigger(table))


def unprotect(schema_editor, table: str) -> None:
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    elif connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete;")


def sqlite_protected_tables(connection) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_no\\_delete' ESCAPE '\\'"
        )
        return [row[0] for row in cursor.fetchall()]

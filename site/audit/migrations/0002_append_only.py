"""The audit log is append-only below the ORM too: the database refuses to change or
delete a row, except to forget who acted when that person's account is removed."""

from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
    """,
    """
    CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
    WHEN NOT (NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
              AND NEW.created_at IS OLD.created_at AND NEW.actor_name IS OLD.actor_name
              AND NEW.village_id IS OLD.village_id AND NEW.action IS OLD.action
              AND NEW.target_type IS OLD.target_type AND NEW.target_id IS OLD.target_id
              AND NEW.target_repr IS OLD.target_repr AND NEW.before IS OLD.before
              AND NEW.after IS OLD.after AND NEW.note IS OLD.note)
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete;",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update;",
]

POSTGRES = [
    """
    CREATE FUNCTION audit_auditentry_append_only() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
         AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'audit log is append-only';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER audit_auditentry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_auditentry_append_only();
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry;",
    "DROP FUNCTION IF EXISTS audit_auditentry_append_only();",
]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(
        schema_editor.connection.vendor, []
    )
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

"""The audit log is append-only below the ORM too: the database refuses to change or
delete a row, except to forget who acted when that person's account is removed."""

from django.db import migrations

from audit.append_only import protect, unprotect


def forwards(apps, schema_editor):
    protect(schema_editor, "audit_auditentry", nullable="actor_id")


def backwards(apps, schema_editor):
    unprotect(schema_editor, "audit_auditentry")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

"""The ledger is append-only below the ORM too: the database refuses to change or
delete a transaction or a posting, whoever connects."""

from django.db import migrations

from audit.append_only import protect, unprotect

TABLES = ["points_transaction", "points_posting"]


def forwards(apps, schema_editor):
    for table in TABLES:
        protect(schema_editor, table)


def backwards(apps, schema_editor):
    for table in TABLES:
        unprotect(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

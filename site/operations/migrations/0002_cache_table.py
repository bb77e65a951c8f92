"""The database cache's table, made by ``migrate`` like every other table.

Without REDIS_URL it is the cache; with Redis it stands in while Redis does not
answer. Before this, only ``manage.py createcachetable`` made it, which a
deployment could skip: then every page, and ``manage.py shell`` saving a page,
failed on "relation xiangyue_cache does not exist".
"""

from django.core.management.commands.createcachetable import Command
from django.db import migrations

TABLE = "xiangyue_cache"  # config/settings/base.py DATABASE_CACHE


def create_cache_table(apps, schema_editor):
    command = Command()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    if TABLE in schema_editor.connection.introspection.table_names():
        schema_editor.execute(
            "DROP TABLE %s" % schema_editor.quote_name(TABLE)  # noqa: S608
        )


class Migration(migrations.Migration):
    dependencies = [("operations", "0001_submission")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]

"""Background work of the roster app (django-tasks; `manage.py db_worker` runs it)."""

from django_tasks import task

from roster.services import roster_import_run


@task()
def run_roster_import(import_id: int) -> str | None:
    roster_import = roster_import_run(import_id=import_id)
    return roster_import.status if roster_import else None

"""On PostgreSQL, progress must show while the import's transaction is still open."""

from django.db import connection, transaction

import pytest

from roster import progress
from roster.models import RosterImport

pytestmark = pytest.mark.postgres


@pytest.mark.django_db(transaction=True)
def test_progress_is_committed_while_the_import_transaction_is_open(village, committee):
    if connection.vendor != "postgresql":
        pytest.skip("the private progress connection is used on PostgreSQL only")
    roster_import = RosterImport.objects.create(
        village=village,
        uploaded_by=committee,
        file="roster/x.xlsx",
        status=RosterImport.Status.RUNNING,
        total_rows=100,
    )
    with progress.progress_writer(roster_import.pk) as report, transaction.atomic():
        # The import's own writes, uncommitted, on the main connection...
        RosterImport.objects.create(village=village, file="roster/y.xlsx", total_rows=1)
        report(40)
        # ...while the progress is already committed: READ COMMITTED sees it.
        assert RosterImport.objects.get(pk=roster_import.pk).processed_rows == 40
        transaction.set_rollback(True)
    assert RosterImport.objects.get(pk=roster_import.pk).processed_rows == 40
    assert RosterImport.objects.count() == 1

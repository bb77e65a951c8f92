"""The import page: it refreshes itself while the import runs, then shows the result."""

from django.urls import reverse

import pytest

from roster import progress
from roster.models import RosterImport
from tests.roster.workbooks import person, workbook_bytes

Status = RosterImport.Status


@pytest.fixture
def queued(village, committee):
    return RosterImport.objects.create(
        village=village,
        uploaded_by=committee,
        confirmed_by=committee,
        file="roster/x.xlsx",
        status=Status.QUEUED,
        total_rows=5000,
    )


def test_a_queued_import_refreshes_and_shows_a_bar(committee_client, queued):
    html = committee_client.get(queued.get_absolute_url()).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert (
        '<progress id="import-progress" class="progress" max="5000" value="0">' in html
    )


def test_a_running_import_shows_progress_from_the_side_channel(
    committee_client, queued
):
    RosterImport.objects.filter(pk=queued.pk).update(
        status=Status.RUNNING, processed_rows=500
    )
    html = committee_client.get(queued.get_absolute_url()).content.decode()
    assert 'max="5000" value="500"' in html

    # What the worker reports while its transaction is still open.
    with progress.progress_writer(queued.pk) as report:
        report(2000)
    html = committee_client.get(queued.get_absolute_url()).content.decode()
    assert 'max="5000" value="2000"' in html
    assert "2000" in html and "5000" in html
    assert 'http-equiv="refresh"' in html


def test_a_finished_import_shows_its_summary_and_stops_refreshing(
    committee_client, village, import_roster, grid
):
    rows = [person(grid=None), person(name="李四", phone="13900139000", roles="村民")]
    roster_import = import_roster(workbook_bytes(rows))
    response = committee_client.get(roster_import.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert 'http-equiv="refresh"' not in html
    assert "<progress" not in html
    assert 'data-status="done"' in html
    assert reverse("roster:list", kwargs={"village": village.slug}) in html
    assert roster_import.summary == {
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "new_accounts": 2,
        "households_created": 1,
        "households_updated": 0,
    }


def test_a_failed_import_says_so(committee_client, queued):
    RosterImport.objects.filter(pk=queued.pk).update(
        status=Status.FAILED,
        errors=[{"row": None, "column": "", "code": "failed", "params": {}}],
    )
    response = committee_client.get(queued.get_absolute_url())
    html = response.content.decode()
    assert 'data-status="failed"' in html
    assert 'http-equiv="refresh"' not in html
    assert reverse("roster:import", kwargs={"village": queued.village.slug}) in html


def test_the_task_runs_a_queued_import_only_once(queued):
    from roster.services import roster_import_run

    RosterImport.objects.filter(pk=queued.pk).update(status=Status.DONE)
    assert roster_import_run(import_id=queued.pk) is None

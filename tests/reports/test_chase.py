"""督办: the committee chases a handler; every day the handlers of overdue reports
are reminded."""

import datetime as dt
import io

from django.core.management import call_command
from django.utils import timezone

import pytest

from audit.models import AuditEntry
from notifications.models import Notification
from reports import services
from reports.models import Report, ReportEvent
from reports.services import ReportError
from tests.reports.factories import assigned_report, due, file_report

pytestmark = pytest.mark.django_db


def test_the_committee_chases_the_assignee(
    client, village, resident, committee, grid_worker
):
    report = assigned_report(village, resident, committee, grid_worker)
    before = Notification.objects.filter(recipient=grid_worker).count()
    client.force_login(committee)
    page = client.get(report.get_absolute_url()).content.decode()
    assert f"/reports/{report.pk}/chase/" in page
    response = client.post(
        f"/v/{village.slug}/reports/{report.pk}/chase/", {"note": "群众很着急"}
    )
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=grid_worker).count() == before + 1
    assert report.events.filter(kind=ReportEvent.Step.CHASED).count() == 1
    assert AuditEntry.objects.filter(action="reports.chase").count() == 1


def test_chase_refusals(village, resident, committee, grid_worker):
    fresh = file_report(village, resident)
    with pytest.raises(ReportError):
        services.report_chase(report=fresh, by=committee)  # nobody holds it yet
    report = assigned_report(village, resident, committee, grid_worker)
    with pytest.raises(ReportError):
        services.report_chase(report=report, by=grid_worker)
    with pytest.raises(ReportError):
        services.report_chase(report=report, by=committee, note="急" * 1001)
    assert not ReportEvent.objects.filter(kind=ReportEvent.Step.CHASED).exists()


def test_daily_reminder_tells_the_handlers_of_overdue_reports(
    village, resident, committee, second_committee, grid_worker
):
    late = assigned_report(village, resident, committee, grid_worker)
    department = services.department_add(village=village, by=committee, name="水利站")
    late_department = services.report_assign(
        report=file_report(village, resident),
        by=committee,
        department=department,
        due_on=due(),
    )
    on_time = assigned_report(village, resident, committee, grid_worker)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Report.objects.filter(pk__in=[late.pk, late_department.pk]).update(due_on=yesterday)
    Notification.objects.all().delete()
    call_command("remind_overdue_reports", stdout=io.StringIO())
    to_worker = Notification.objects.filter(recipient=grid_worker)
    assert to_worker.count() == 1 and late.number in to_worker.get().title
    # a department's report: the committee relays, so the committee is told
    for member in (committee, second_committee):
        titles = Notification.objects.filter(recipient=member).values_list(
            "title", flat=True
        )
        assert [t for t in titles if late_department.number in t]
    assert not Notification.objects.filter(title__contains=on_time.number).exists()


def _overdue(report, days=1):
    Report.objects.filter(pk=report.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=days)
    )
    report.refresh_from_db()
    return report


def _told(person, report) -> int:
    return Notification.objects.filter(
        recipient=person, title__contains=report.number
    ).count()


def test_the_reminder_tells_once_however_often_it_runs(
    village, resident, committee, grid_worker
):
    report = _overdue(assigned_report(village, resident, committee, grid_worker))
    Notification.objects.all().delete()
    out = io.StringIO()
    for _run in range(3):
        call_command("remind_overdue_reports", stdout=out)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert services.reports_remind_overdue(today=tomorrow) == 0
    assert _told(grid_worker, report) == 1
    assert out.getvalue().splitlines() == [
        "1 overdue reports; their handlers were told.",
        "0 overdue reports; their handlers were told.",
        "0 overdue reports; their handlers were told.",
    ]


def test_a_new_due_date_or_handler_is_a_new_overdue_step(
    village, resident, committee, grid_worker, second_committee
):
    report = _overdue(assigned_report(village, resident, committee, grid_worker))
    Notification.objects.all().delete()
    services.reports_remind_overdue()
    # Given more time, and late again: told again, once.
    _overdue(report, days=2)
    services.reports_remind_overdue()
    services.reports_remind_overdue()
    assert _told(grid_worker, report) == 2
    # Handed to someone else, still late: the new handler is told, once.
    services.report_assign(
        report=report, by=committee, assignee=second_committee, due_on=due()
    )
    report = _overdue(report, days=2)
    Notification.objects.filter(recipient=second_committee).delete()
    services.reports_remind_overdue()
    services.reports_remind_overdue()
    assert _told(second_committee, report) == 1


def test_a_village_may_ask_for_a_reminder_again_after_some_days(
    village, resident, committee, grid_worker
):
    services.settings_save(
        village=village,
        by=committee,
        due_days=7,
        topic_threshold=5,
        remind_every_days=3,
    )
    report = _overdue(assigned_report(village, resident, committee, grid_worker))
    Notification.objects.all().delete()
    today = timezone.localdate()
    for days in range(7):  # a run every day for a week
        services.reports_remind_overdue(today=today + dt.timedelta(days=days))
    assert _told(grid_worker, report) == 3  # days 0, 3 and 6


def test_the_settings_page_keeps_the_reminder_interval(client, village, committee):
    client.force_login(committee)
    url = f"/v/{village.slug}/reports/departments/"
    data = {"action": "settings", "due_days": 7, "topic_threshold": 5}
    assert client.post(url, {**data, "remind_every_days": 0}).status_code == 400
    assert client.post(url, {**data, "remind_every_days": 4}).status_code == 302
    assert services.settings_for(village).remind_every_days == 4
    assert 'value="4"' in client.get(url).content.decode()

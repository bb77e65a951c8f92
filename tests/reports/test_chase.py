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

"""Every transition of a report, and every refusal, with nothing written on refusal."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

import pytest

from audit.models import AuditEntry
from notifications.models import Notification
from points.images import photo_prepare
from reports import selectors, services
from reports.models import (
    Department,
    MeToo,
    Rating,
    Report,
    ReportEvent,
    ReportPhoto,
    Status,
)
from reports.services import ReportError
from tests.reports.factories import (
    assigned_report,
    closed_report,
    due,
    file_report,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Step = ReportEvent.Step


def steps(report):
    return list(report.events.values_list("kind", flat=True))


def test_filing_numbers_per_village_and_year(
    village, other_village, resident, other_resident, committee
):
    first = file_report(village, resident)
    second = file_report(village, resident, is_public=True)
    elsewhere = file_report(other_village, other_resident)
    year = timezone.localdate().year
    assert first.number == f"{year}-0001"
    assert second.number == f"{year}-0002"
    assert elsewhere.number == f"{year}-0001"
    assert first.status == Status.FILED
    assert first.grid is not None  # the filer's household grid
    assert steps(first) == [Step.FILED]
    # the committee hears of it
    assert (
        Notification.objects.filter(recipient=committee, village=village).count() == 2
    )


def test_filing_keeps_checked_photos_and_coordinates(village, resident, photo_upload):
    report = file_report(
        village,
        resident,
        photos=[photo_prepare(photo_upload)],
        latitude=Decimal("30.123456"),
        longitude=Decimal("120.5"),
    )
    photo = ReportPhoto.objects.get(report=report)
    assert photo.width == 64 and photo.height == 48
    assert photo.image.name.endswith(".jpg")
    assert report.latitude == Decimal("30.123456")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": "   "}, "what happened"),
        ({"text": "坑" * 2001}, "2000"),
        ({"kind": "rumour"}, "kind"),
        ({"latitude": Decimal("91"), "longitude": Decimal("1")}, "Latitude"),
        ({"latitude": Decimal("1"), "longitude": Decimal("-181")}, "Longitude"),
        ({"latitude": Decimal("1")}, "both"),
        ({"place": "东" * 201}, "200"),
    ],
)
def test_bad_filing_writes_nothing(village, resident, changes, message):
    with pytest.raises(ReportError, match=message):
        file_report(village, resident, **changes)
    assert not Report.objects.exists()
    assert not ReportEvent.objects.exists()


def test_a_stranger_cannot_file_in_a_foreign_village(village, other_resident):
    with pytest.raises(ReportError):
        file_report(village, other_resident)
    assert not Report.objects.exists()


def test_the_whole_path_is_timestamped_and_audited(
    village, resident, committee, grid_worker
):
    report = file_report(village, resident)
    report = services.report_assign(
        report=report, by=committee, assignee=grid_worker, due_on=due(), note="请尽快"
    )
    assert report.status == Status.ASSIGNED
    assert report.assignee == grid_worker
    report = services.report_progress(
        report=report, by=grid_worker, note="已联系施工队"
    )
    assert report.status == Status.IN_PROGRESS
    report = services.report_close(report=report, by=grid_worker, answer="坑已填平")
    assert report.status == Status.CLOSED
    assert report.closed_at is not None
    report = services.report_rate(
        report=report, by=resident, rating=Rating.SATISFIED, comment="很快"
    )
    assert report.status == Status.RATED
    assert steps(report) == [
        Step.FILED,
        Step.ASSIGNED,
        Step.PROGRESS,
        Step.CLOSED,
        Step.RATED,
    ]
    times = list(report.events.values_list("at", flat=True))
    assert times == sorted(times)
    assigned = report.events.get(kind=Step.ASSIGNED)
    assert assigned.due_on == due() and assigned.handler == str(grid_worker)
    actions = set(
        AuditEntry.objects.filter(village=village).values_list("action", flat=True)
    )
    assert {"reports.assign", "reports.progress", "reports.close"} <= actions
    # the filer was told at each step: assigned, progress, answered
    titles = list(
        Notification.objects.filter(recipient=resident).values_list("title", flat=True)
    )
    assert len(titles) == 3
    assert all(report.number in t for t in titles)
    # and the grid worker was told it is theirs
    assert Notification.objects.filter(recipient=grid_worker).count() == 1


def test_assign_to_an_outside_department_the_committee_relays(
    village, resident, committee, second_committee, grid_worker
):
    department = services.department_add(village=village, by=committee, name="供电所")
    report = file_report(village, resident)
    report = services.report_assign(
        report=report, by=committee, department=department, due_on=due()
    )
    assert report.handler_name == "供电所"
    with pytest.raises(ReportError):
        services.report_progress(report=report, by=grid_worker, note="我来")
    services.report_progress(report=report, by=second_committee, note="供电所已派人")
    services.report_close(report=report, by=committee, answer="已恢复供电")
    assert Report.objects.get(pk=report.pk).status == Status.CLOSED


def test_assign_refusals(
    village, other_village, resident, neighbour, committee, grid_worker, other_committee
):
    report = file_report(village, resident)
    foreign_department = Department.objects.create(village=other_village, name="派出所")
    cases = [
        # only the committee assigns; not the other village's committee
        {"by": grid_worker, "assignee": grid_worker, "due_on": due()},
        {"by": other_committee, "assignee": grid_worker, "due_on": due()},
        # only grid workers and committee members are assigned
        {"by": committee, "assignee": neighbour, "due_on": due()},
        {"by": committee, "assignee": other_committee, "due_on": due()},
        # one target, from this village's list
        {"by": committee, "due_on": due()},
        {
            "by": committee,
            "assignee": grid_worker,
            "department": foreign_department,
            "due_on": due(),
        },
        {"by": committee, "department": foreign_department, "due_on": due()},
        # the due date lies ahead
        {"by": committee, "assignee": grid_worker, "due_on": due(-1)},
    ]
    for case in cases:
        with pytest.raises(ReportError):
            services.report_assign(report=report, **case)
    report.refresh_from_db()
    assert report.status == Status.FILED and report.assignee is None
    assert steps(report) == [Step.FILED]
    assert not AuditEntry.objects.filter(action="reports.assign").exists()


def test_only_the_assignee_posts_progress_or_closes(
    village, resident, committee, grid_worker, second_committee
):
    report = assigned_report(village, resident, committee, grid_worker)
    for someone in (committee, second_committee, resident):
        with pytest.raises(ReportError, match="assigned to"):
            services.report_close(report=report, by=someone, answer="好了")
        with pytest.raises(ReportError, match="assigned to"):
            services.report_progress(report=report, by=someone, note="在办")
    report.refresh_from_db()
    assert report.status == Status.ASSIGNED
    assert steps(report) == [Step.FILED, Step.ASSIGNED]


def test_no_progress_or_close_before_assignment_or_after_closing(
    village, resident, committee, grid_worker
):
    report = file_report(village, resident)
    with pytest.raises(ReportError):
        services.report_close(report=report, by=committee, answer="好了")
    report = closed_report(village, resident, committee, grid_worker)
    with pytest.raises(ReportError, match="not being handled"):
        services.report_close(report=report, by=grid_worker, answer="再次")
    with pytest.raises(ReportError):
        services.report_assign(
            report=report, by=committee, assignee=grid_worker, due_on=due()
        )


def test_empty_or_huge_answers_are_refused(village, resident, committee, grid_worker):
    report = assigned_report(village, resident, committee, grid_worker)
    with pytest.raises(ReportError):
        services.report_close(report=report, by=grid_worker, answer="  ")
    with pytest.raises(ReportError):
        services.report_close(report=report, by=grid_worker, answer="长" * 4001)
    with pytest.raises(ReportError):
        services.report_progress(report=report, by=grid_worker, note="")
    report.refresh_from_db()
    assert report.status == Status.ASSIGNED and report.answer == ""


def test_rating_refusals(village, resident, neighbour, committee, grid_worker):
    report = assigned_report(village, resident, committee, grid_worker)
    with pytest.raises(ReportError, match="once it is answered"):
        services.report_rate(report=report, by=resident, rating=Rating.SATISFIED)
    services.report_close(report=report, by=grid_worker, answer="好了")
    with pytest.raises(ReportError, match="filed the report"):
        services.report_rate(report=report, by=neighbour, rating=Rating.SATISFIED)
    with pytest.raises(ReportError):
        services.report_rate(report=report, by=resident, rating="great")
    services.report_rate(report=report, by=resident, rating=Rating.BASIC)
    with pytest.raises(ReportError, match="already rated"):
        services.report_rate(report=report, by=resident, rating=Rating.SATISFIED)
    report.refresh_from_db()
    assert report.rating == Rating.BASIC
    assert report.events.filter(kind=Step.RATED).count() == 1


def test_dissatisfied_reopens_once(village, resident, committee, grid_worker):
    report = closed_report(village, resident, committee, grid_worker)
    report = services.report_rate(
        report=report, by=resident, rating=Rating.DISSATISFIED, comment="没修好"
    )
    assert report.status == Status.ASSIGNED
    assert report.reopened_at is not None
    assert AuditEntry.objects.filter(action="reports.reopen").count() == 1
    # the same handler reviews it and answers again
    services.report_close(report=report, by=grid_worker, answer="重新修了")
    report = services.report_rate(
        report=report, by=resident, rating=Rating.DISSATISFIED, comment="还是不行"
    )
    assert report.status == Status.RATED  # once only
    assert steps(report) == [
        Step.FILED,
        Step.ASSIGNED,
        Step.CLOSED,
        Step.RATED,
        Step.REOPENED,
        Step.CLOSED,
        Step.RATED,
    ]


def test_escalate_once_to_the_township(
    village, resident, committee, grid_worker, other_committee
):
    report = assigned_report(village, resident, committee, grid_worker)
    with pytest.raises(ReportError):
        services.report_escalate(report=report, by=grid_worker, note="办不了")
    with pytest.raises(ReportError):
        services.report_escalate(report=report, by=other_committee, note="办不了")
    with pytest.raises(ReportError):
        services.report_escalate(report=report, by=committee, note=" ")
    report = services.report_escalate(
        report=report, by=committee, note="涉及邻村土地, 村里协调不了"
    )
    assert report.escalated_at is not None
    with pytest.raises(ReportError, match="already with the township"):
        services.report_escalate(report=report, by=committee, note="再次")
    assert AuditEntry.objects.filter(action="reports.escalate").count() == 1
    assert steps(report)[-1] == Step.ESCALATED


def test_overdue(village, resident, committee, grid_worker):
    report = assigned_report(village, resident, committee, grid_worker)
    assert not report.is_overdue
    Report.objects.filter(pk=report.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    report.refresh_from_db()
    assert report.is_overdue
    assert list(Report.objects.overdue()) == [report]
    services.report_close(report=report, by=grid_worker, answer="好了")
    report.refresh_from_db()
    assert not report.is_overdue
    assert not Report.objects.overdue().exists()


def test_me_too_once_per_person_on_public_open_reports(
    village, resident, neighbour, committee, other_resident, grid_worker
):
    public = file_report(village, resident, is_public=True)
    private = file_report(village, resident)
    assert services.report_me_too(report=public, by=neighbour) == 1
    with pytest.raises(ReportError, match="already"):
        services.report_me_too(report=public, by=neighbour)
    with pytest.raises(ReportError):
        services.report_me_too(report=public, by=resident)  # the filer
    with pytest.raises(ReportError):
        services.report_me_too(report=private, by=neighbour)
    with pytest.raises(ReportError):
        services.report_me_too(report=public, by=other_resident)
    assert services.report_me_too(report=public, by=committee) == 2
    assert MeToo.objects.count() == 2


def test_departments_list(village, committee):
    department = services.department_add(village=village, by=committee, name="派出所")
    with pytest.raises(ReportError):
        services.department_add(village=village, by=committee, name="派出所")
    services.department_retire(department=department, by=committee)
    assert not selectors.departments_for(village=village).exists()
    again = services.department_add(village=village, by=committee, name="派出所")
    assert again.pk == department.pk and again.is_active

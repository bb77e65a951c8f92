"""What the village cannot settle goes to the township: also a report whose
second answer was rated dissatisfied again."""

import pytest

from reports import services
from reports.models import Rating, Status
from reports.services import ReportError
from tests.reports.factories import closed_report

pytestmark = pytest.mark.django_db


def _failed_twice(village, resident, committee, grid_worker):
    report = closed_report(village, resident, committee, grid_worker)
    services.report_rate(report=report, by=resident, rating=Rating.DISSATISFIED)
    report = services.report_close(report=report, by=grid_worker, answer="又看了一次")
    report = services.report_rate(
        report=report, by=resident, rating=Rating.DISSATISFIED, comment="还是没修"
    )
    assert report.status == Status.RATED and report.failed_twice
    return report


def test_a_report_rated_dissatisfied_twice_can_go_to_the_township(
    client, village, resident, committee, grid_worker, supervisor
):
    report = _failed_twice(village, resident, committee, grid_worker)
    # The township sees it waiting, without its text, before the village acts.
    client.force_login(supervisor)
    township = client.get(f"/v/{village.slug}/reports/township/").content.decode()
    assert report.number in township and report.text not in township
    # The committee's page offers to pass it on, and it goes.
    client.force_login(committee)
    page = client.get(report.get_absolute_url()).content.decode()
    assert f"/reports/{report.pk}/escalate/" in page
    response = client.post(
        f"/v/{village.slug}/reports/{report.pk}/escalate/", {"note": "村里两次都没办好"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.escalated_at is not None
    client.force_login(supervisor)
    assert client.get(report.get_absolute_url()).status_code == 200


def test_a_report_that_satisfied_or_was_rated_once_stays_closed(
    village, resident, committee, grid_worker
):
    satisfied = closed_report(village, resident, committee, grid_worker)
    services.report_rate(report=satisfied, by=resident, rating=Rating.SATISFIED)
    with pytest.raises(ReportError):
        services.report_escalate(report=satisfied, by=committee, note="想上报")
    once = closed_report(village, resident, committee, grid_worker)
    once = services.report_rate(report=once, by=resident, rating=Rating.BASIC)
    with pytest.raises(ReportError):
        services.report_escalate(report=once, by=committee, note="想上报")


def test_only_the_committee_escalates_and_only_once(
    village, resident, committee, grid_worker, other_committee
):
    report = _failed_twice(village, resident, committee, grid_worker)
    for person in (resident, grid_worker, other_committee):
        with pytest.raises(ReportError):
            services.report_escalate(report=report, by=person, note="上报")
    services.report_escalate(report=report, by=committee, note="上报")
    with pytest.raises(ReportError):
        services.report_escalate(report=report, by=committee, note="再报")

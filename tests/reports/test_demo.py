"""The demo reports: every state a visitor should see, made through the services."""

import pytest

from reports.demo import seed_reports_demo
from reports.models import Report, Status
from tests.factories import HouseholdFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_demo_reports_cover_every_state_once(village, grid, committee, grid_worker):
    for i in range(14):
        household = HouseholdFactory(village=village, grid=grid, number=f"D{i:03d}")
        MembershipFactory(village=village, household=household, grid=grid)
    assert seed_reports_demo(village) is True
    assert seed_reports_demo(village) is False
    statuses = {r.status for r in Report.objects.filter(village=village)}
    assert statuses == {
        Status.FILED,
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        Status.RATED,
    }
    assert Report.objects.filter(escalated_at__isnull=False).count() == 1
    assert Report.objects.filter(reopened_at__isnull=False).count() == 1
    assert Report.objects.overdue().count() == 1
    assert (
        Report.objects.get(
            kind="suggestion", is_public=True, text__contains="路灯"
        ).me_too.count()
        == 6
    )


def test_demo_skips_a_village_without_people(village, committee):
    assert seed_reports_demo(village) is False
    assert not Report.objects.exists()

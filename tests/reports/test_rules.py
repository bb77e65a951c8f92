"""Who may do what with reports: the permissions as a role × state matrix."""

import pytest

from reports import services
from tests.reports.factories import assigned_report, due, file_report

pytestmark = pytest.mark.django_db

ROLES = ["filer", "neighbour", "committee", "grid_worker", "monitor", "supervisor"]
ROLES += ["other_committee"]


@pytest.fixture
def people(
    resident,
    neighbour,
    committee,
    grid_worker,
    monitor,
    supervisor,
    other_committee,
):
    return dict(
        zip(
            ROLES,
            [
                resident,
                neighbour,
                committee,
                grid_worker,
                monitor,
                supervisor,
                other_committee,
            ],
            strict=True,
        )
    )


def allowed(people, perm, obj):
    return {role for role, user in people.items() if user.has_perm(perm, obj)}


def test_village_permissions(village, people):
    assert allowed(people, "reports.view", village) == set(ROLES) - {"other_committee"}
    assert allowed(people, "reports.file", village) == {
        "filer",
        "neighbour",
        "committee",
        "grid_worker",
        "monitor",
    }
    assert allowed(people, "reports.manage", village) == {"committee"}
    assert allowed(people, "reports.view_figures", village) == {
        "committee",
        "monitor",
        "supervisor",
    }
    assert allowed(people, "reports.view_township", village) == {"supervisor"}


def test_private_report_through_its_life(village, people, resident, committee):
    report = file_report(village, resident)
    assert allowed(people, "reports.view_report", report) == {"filer", "committee"}
    assert allowed(people, "reports.see_filer", report) == {"filer", "committee"}
    assert allowed(people, "reports.act", report) == set()
    assert allowed(people, "reports.rate", report) == {"filer"}
    assert allowed(people, "reports.me_too", report) == set()

    report = services.report_assign(
        report=report,
        by=committee,
        assignee=people["grid_worker"],
        due_on=due(),
    )
    assert allowed(people, "reports.view_report", report) == {
        "filer",
        "committee",
        "grid_worker",
    }
    assert allowed(people, "reports.act", report) == {"grid_worker"}

    report = services.report_escalate(report=report, by=committee, note="协调不了")
    assert allowed(people, "reports.view_report", report) == {
        "filer",
        "committee",
        "grid_worker",
        "supervisor",
    }


def test_public_report(village, people, resident, committee, grid_worker):
    report = assigned_report(village, resident, committee, grid_worker, is_public=True)
    assert allowed(people, "reports.view_report", report) == {
        "filer",
        "neighbour",
        "committee",
        "grid_worker",
        "monitor",
    }
    # the name stays with those who handle it
    assert allowed(people, "reports.see_filer", report) == {
        "filer",
        "committee",
        "grid_worker",
    }
    assert allowed(people, "reports.me_too", report) == {
        "neighbour",
        "committee",
        "grid_worker",
        "monitor",
    }


def test_department_reports_are_relayed_by_the_committee(
    village, people, resident, committee
):
    department = services.department_add(village=village, by=committee, name="派出所")
    report = services.report_assign(
        report=file_report(village, resident),
        by=committee,
        department=department,
        due_on=due(),
    )
    assert allowed(people, "reports.act", report) == {"committee"}

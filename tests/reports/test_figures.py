"""Monthly figures, computed from the event history, against a hand-made example."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

import pytest

from reports import services
from reports.figures import monthly_figures, total
from reports.models import Rating, Report, ReportEvent
from tests.reports.factories import closed_report

pytestmark = pytest.mark.django_db
CN = ZoneInfo("Asia/Shanghai")
Step = ReportEvent.Step


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=CN)


def make(village, filer, number, steps):
    report = Report.objects.create(
        village=village, number=number, kind="hazard", text="例", filer=filer
    )
    ReportEvent.objects.bulk_create(
        [
            ReportEvent(
                report=report,
                kind=kind,
                at=at(when),
                due_on=dt.date.fromisoformat(extra["due"]) if "due" in extra else None,
                rating=extra.get("rating", ""),
            )
            for kind, when, extra in steps
        ]
    )
    return report


@pytest.fixture
def example(village, other_village, resident, other_resident):
    """Five reports, worked out by hand below."""
    make(  # R1: 2 days, on time, satisfied
        village,
        resident,
        "2026-0001",
        [
            (Step.FILED, "2026-03-02 10:00", {}),
            (Step.ASSIGNED, "2026-03-02 11:00", {"due": "2026-03-05"}),
            (Step.CLOSED, "2026-03-04 10:00", {}),
            (Step.RATED, "2026-03-05 09:00", {"rating": Rating.SATISFIED}),
        ],
    )
    make(  # R2: due moved by a reassignment; reopened, its second answer not counted
        village,
        resident,
        "2026-0002",
        [
            (Step.FILED, "2026-03-10 08:00", {}),
            (Step.ASSIGNED, "2026-03-10 09:00", {"due": "2026-03-12"}),
            (Step.ASSIGNED, "2026-03-11 09:00", {"due": "2026-03-20"}),
            (Step.CLOSED, "2026-03-18 08:00", {}),
            (Step.RATED, "2026-04-01 10:00", {"rating": Rating.DISSATISFIED}),
            (Step.REOPENED, "2026-04-01 10:00", {}),
            (Step.CLOSED, "2026-04-03 10:00", {}),
            (Step.RATED, "2026-04-04 10:00", {"rating": Rating.BASIC}),
        ],
    )
    make(  # R3: filed late on 31 March China time (15:30 UTC); 3 days, late
        village,
        resident,
        "2026-0003",
        [
            (Step.FILED, "2026-03-31 23:30", {}),
            (Step.ASSIGNED, "2026-04-01 08:00", {"due": "2026-04-01"}),
            (Step.CLOSED, "2026-04-03 23:30", {}),
            (Step.RATED, "2026-04-04 08:00", {"rating": Rating.DISSATISFIED}),
        ],
    )
    make(  # R4: still open
        village, resident, "2026-0004", [(Step.FILED, "2026-04-15 12:00", {})]
    )
    make(  # R5: filed last year, closed in January: 5 days, on time
        village,
        resident,
        "2025-0099",
        [
            (Step.FILED, "2025-12-30 12:00", {}),
            (Step.ASSIGNED, "2025-12-30 13:00", {"due": "2026-01-05"}),
            (Step.CLOSED, "2026-01-04 12:00", {}),
        ],
    )
    make(  # another village: never in this village's figures
        other_village,
        other_resident,
        "2026-0001",
        [
            (Step.FILED, "2026-03-03 10:00", {}),
            (Step.ASSIGNED, "2026-03-03 10:00", {"due": "2026-03-04"}),
            (Step.CLOSED, "2026-03-03 12:00", {}),
        ],
    )


def row(m):
    return (
        m.received,
        m.closed,
        m.on_time,
        m.average_days,
        m.ratings,
        m.satisfied,
        m.satisfaction_rate,
    )


def test_figures_match_the_hand_made_example(settings, example, village):
    settings.TIME_ZONE = "Asia/Shanghai"
    months = monthly_figures(village_ids=[village.pk], year=2026)[village.pk]
    assert row(months[0]) == (0, 1, 1, 5.0, 0, 0, None)  # January: R5
    assert row(months[1]) == (0, 0, 0, None, 0, 0, None)
    assert row(months[2]) == (3, 2, 2, 5.0, 1, 1, 100.0)  # March: R1, R2, R3 filed
    assert row(months[3]) == (1, 1, 0, 3.0, 3, 1, 33.3)  # April: R3 closed late
    assert all(row(m)[:2] == (0, 0) for m in months[4:])
    year = total(months, label_month=dt.date(2026, 1, 1))
    assert row(year) == (4, 4, 3, 4.5, 4, 2, 50.0)
    assert year.on_time_rate == 75.0
    assert year.by_rating == {"satisfied": 1, "basic": 1, "dissatisfied": 2}


def test_last_year_sees_only_what_happened_in_it(settings, example, village):
    months = monthly_figures(village_ids=[village.pk], year=2025)[village.pk]
    assert months[11].received == 1 and months[11].closed == 0
    assert sum(m.received for m in months) == 1


def test_township_figures_cover_each_village(
    example, village, other_village, client, supervisor
):
    by_village = monthly_figures(village_ids=[village.pk, other_village.pk], year=2026)
    assert by_village[other_village.pk][2].received == 1
    assert by_village[other_village.pk][2].closed == 1
    assert by_village[village.pk][2].received == 3
    client.force_login(supervisor)
    response = client.get(f"/v/{village.slug}/reports/township/?year=2026")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and "桃园村" in body


def test_steps_taken_through_the_services_are_counted(
    village, resident, committee, grid_worker
):
    report = closed_report(village, resident, committee, grid_worker)
    services.report_rate(report=report, by=resident, rating=Rating.DISSATISFIED)
    now = timezone.localtime()
    month = monthly_figures(village_ids=[village.pk], year=now.year)[village.pk][
        now.month - 1
    ]
    assert (month.received, month.closed, month.on_time) == (1, 1, 1)
    assert month.ratings == 1 and month.satisfaction_rate == 0.0


def test_figures_cost_one_query(example, village, django_assert_num_queries):
    with django_assert_num_queries(1):
        monthly_figures(village_ids=[village.pk], year=2026)

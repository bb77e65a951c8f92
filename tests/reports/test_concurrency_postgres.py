"""Under real concurrency on PostgreSQL: numbers are never given twice, a report
is rated once, and "me too" counts a person once."""

import threading

from django.core.exceptions import ValidationError
from django.db import connection, connections

import pytest

from reports import services
from reports.models import MeToo, Rating, Report, ReportEvent
from tests.factories import MembershipFactory
from tests.reports.factories import closed_report, file_report

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency under real row locks needs PostgreSQL")


def run_together(target, n=THREADS):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def worker(i):
        try:
            barrier.wait()
            results.append(target(i))
        except ValidationError:
            errors.append("refused")
        except Exception as e:  # anything else is a bug the test must show
            errors.append(repr(e))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_simultaneous_filings_get_distinct_numbers(village):
    people = [MembershipFactory(village=village).user for _ in range(THREADS)]
    results, errors = run_together(lambda i: file_report(village, people[i]).number)
    assert errors == []
    assert len(set(results)) == THREADS
    assert sorted(int(n.split("-")[1]) for n in results) == list(range(1, THREADS + 1))


def test_a_report_is_rated_once_from_many_tabs(
    village, resident, committee, grid_worker
):
    report = closed_report(village, resident, committee, grid_worker)
    results, errors = run_together(
        lambda i: services.report_rate(
            report=report, by=resident, rating=Rating.SATISFIED
        )
    )
    assert len(results) == 1 and errors == ["refused"] * (THREADS - 1)
    assert report.events.filter(kind=ReportEvent.Step.RATED).count() == 1


def test_me_too_counts_a_person_once(village, resident, neighbour):
    report = file_report(village, resident, is_public=True)
    results, errors = run_together(
        lambda i: services.report_me_too(report=report, by=neighbour)
    )
    assert len(results) == 1 and errors == ["refused"] * (THREADS - 1)
    assert MeToo.objects.filter(report=report).count() == 1
    assert Report.objects.count() == 1


def test_two_reminder_runs_at_the_same_instant_tell_once(
    village, resident, committee, grid_worker
):
    import datetime as dt

    from django.utils import timezone

    from notifications.models import Notification
    from tests.reports.factories import assigned_report

    reports = [
        assigned_report(village, resident, committee, grid_worker) for _ in range(3)
    ]
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(
        due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    Notification.objects.all().delete()
    results, errors = run_together(lambda i: services.reports_remind_overdue(), n=4)
    assert errors == []
    assert sorted(results, reverse=True)[0] <= 3 and sum(results) == 3
    for report in reports:
        assert (
            Notification.objects.filter(
                recipient=grid_worker, title__contains=report.number
            ).count()
            == 1
        )

"""Under real concurrency on PostgreSQL: a co-signature counts once, the
committee's clock starts once, and an overdue answer is told of once."""

import datetime as dt
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.db import connection

import pytest

from deliberation.models import CoSignature, DeliberationSettings, Topic
from deliberation.services.topics import (
    proposals_notify_overdue,
    topic_cosign,
    topic_propose,
)
from notifications.models import Notification
from tests import concurrency
from tests.deliberation.factories import residents

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8
CN = dt.timezone(dt.timedelta(hours=8))
DUE = dt.datetime(2026, 6, 16, 15, 0, tzinfo=CN)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency under real row locks needs PostgreSQL")


def run_together(target, n=THREADS):
    return concurrency.run_together(target, n)


@pytest.fixture
def proposal(village, household_rep):
    return topic_propose(
        village=village, by=household_rep, title="装路灯", description="太黑"
    )


def test_the_same_co_signature_from_many_phones_at_once_counts_once(proposal, resident):
    results, errors = run_together(lambda i: topic_cosign(topic=proposal, by=resident))
    assert results == [1]
    assert errors == ["already_cosigned"] * (THREADS - 1)
    assert CoSignature.objects.filter(topic=proposal).count() == 1


def test_the_last_signatures_at_once_start_the_clock_once(proposal, village, committee):
    DeliberationSettings.objects.create(village=village, cosign_threshold=THREADS)
    signers = residents(village, THREADS)
    Notification.objects.all().delete()
    results, errors = run_together(
        lambda i: topic_cosign(topic=proposal, by=signers[i])
    )
    assert errors == []
    assert sorted(results) == list(range(1, THREADS + 1))
    proposal.refresh_from_db()
    assert proposal.answer_due is not None
    assert Notification.objects.filter(recipient=committee).count() == 1


@pytest.fixture
def overdue(proposal):
    Topic.objects.filter(pk=proposal.pk).update(answer_due=DUE)
    Notification.objects.all().delete()
    return proposal


def test_overdue_is_told_once_by_runs_at_the_same_instant(overdue, committee, monitor):
    later = DUE + dt.timedelta(days=1)
    results, errors = run_together(lambda i: proposals_notify_overdue(now=later))
    assert errors == []
    assert sorted(results) == [0] * (THREADS - 1) + [1]
    told = Notification.objects.filter(title__startswith="联名提议已过答复期限")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [committee.pk, monitor.pk]
    )


def test_two_ticks_at_once_tell_once(overdue, committee, monitor):
    outs = [StringIO(), StringIO()]
    with mock.patch(
        "django.utils.timezone.now", return_value=DUE + dt.timedelta(hours=1)
    ):
        _results, errors = run_together(
            lambda i: call_command("deliberation_tick", stdout=outs[i]), n=2
        )
    assert errors == []
    said = sorted(out.getvalue().split("told of ")[1] for out in outs)
    assert said == ["0 overdue proposal(s)\n", "1 overdue proposal(s)\n"]
    told = Notification.objects.filter(title__startswith="联名提议已过答复期限")
    assert told.filter(recipient=committee).count() == 1
    assert told.filter(recipient=monitor).count() == 1

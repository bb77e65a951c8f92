"""Under real concurrency on PostgreSQL: one counted ballot per voter/household."""

from django.db import connection

import pytest

from deliberation.models import Participation
from deliberation.services.votes import ballot_cast
from tests import concurrency
from tests.deliberation.factories import ballots, make_vote
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency under real row locks needs PostgreSQL")


def run_together(target, n=THREADS):
    return concurrency.run_together(target, n)


def test_one_voter_from_many_threads_counts_once(topic, committee, resident):
    vote = make_vote(topic, committee)
    options = [o.pk for o in vote.options.all()]
    results, errors = run_together(
        lambda i: ballot_cast(vote=vote, voter=resident, option_ids=[options[i % 3]])
    )
    assert len(results) == 1
    assert errors == ["already_voted"] * (THREADS - 1)
    assert Participation.objects.filter(vote=vote).count() == 1
    assert [len(chosen) for chosen in ballots(vote).values()] == [1]


def test_one_household_from_many_threads_counts_once(
    topic, committee, village, household
):
    # Two representatives cannot coexist, so the rep votes from several phones
    # while a former rep's successor races: one household ballot only.
    rep = MembershipFactory(village=village, household=household, is_household_rep=True)
    vote = make_vote(topic, committee, electorate="households")
    yes = vote.options.get(code="yes").pk
    results, errors = run_together(
        lambda i: ballot_cast(vote=vote, voter=rep.user, option_ids=[yes])
    )
    assert len(results) == 1
    assert errors == ["already_voted"] * (THREADS - 1)
    assert Participation.objects.filter(vote=vote, household=household).count() == 1
    assert len(ballots(vote)) == 1


def test_concurrent_changes_leave_exactly_one_ballot(topic, committee, resident):
    vote = make_vote(topic, committee, kind="single", options=["甲", "乙", "丙", "丁"])
    options = [o.pk for o in vote.options.all()]
    receipt = ballot_cast(vote=vote, voter=resident, option_ids=[options[0]])
    results, errors = run_together(
        lambda i: ballot_cast(
            vote=vote, voter=resident, option_ids=[options[i % 4]], receipt=receipt
        )
    )
    assert errors == []
    assert len(results) == THREADS
    assert Participation.objects.filter(vote=vote).count() == 1
    # a single-choice ballot keeps exactly one choice, never a union of two writers
    assert [len(chosen) for chosen in ballots(vote).values()] == [1]


def test_online_and_paper_ballot_racing_count_once(
    topic, committee, resident, grid_worker
):
    from deliberation.services.votes import paper_ballot_record

    vote = make_vote(topic, committee)
    yes = vote.options.get(code="yes").pk

    def act(i):
        if i % 2:
            return ballot_cast(vote=vote, voter=resident, option_ids=[yes])
        return paper_ballot_record(
            vote=vote,
            voter=resident,
            by=grid_worker,
            option_ids=[yes],
            consent_note="同意",
        )

    results, errors = run_together(act)
    assert len(results) == 1
    assert set(errors) == {"already_voted"}
    assert len(ballots(vote)) == 1


def test_many_voters_at_once_fill_the_box_with_every_ballot_once(
    topic, committee, village
):
    import datetime as dt
    from unittest import mock

    from deliberation.ballot_box import BATCH
    from deliberation.models import Ballot, SealedBallot
    from deliberation.services.votes import vote_finalize
    from tests.deliberation.factories import residents

    people = residents(village, 3 * THREADS)
    vote = make_vote(topic, committee, kind="single", options=["甲", "乙"])
    a, b = (o.pk for o in vote.options.all())

    def three_each(i):
        return [
            ballot_cast(vote=vote, voter=p, option_ids=[a if n % 2 else b])
            for n, p in enumerate(people[i::THREADS])
        ]

    results, errors = run_together(three_each)
    assert errors == [] and sum(map(len, results)) == 3 * THREADS
    # the last filler saw every ballot: fewer than a batch still wait, and
    # nothing is lost or doubled
    assert SealedBallot.objects.filter(vote=vote).count() < BATCH
    assert Ballot.objects.filter(vote=vote).count() > 3 * THREADS - BATCH
    assert len(ballots(vote)) == 3 * THREADS
    later = vote.closes_at + dt.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert vote_finalize(vote=vote)
    assert Ballot.objects.filter(vote=vote).count() == 3 * THREADS
    assert not SealedBallot.objects.filter(vote=vote).exists()
    assert Participation.objects.filter(vote=vote).count() == 3 * THREADS

"""The secret ballot: with the whole database in hand after a vote, try to link
voters to choices, and fail.

The attacker reads every column of every table (and, after the vote is
finalised, the system columns that betray insertion order: SQLite's rowid,
PostgreSQL's xmin and ctid). The voters vote in a known order with known
choices so that any ordering leak would show as a correlation.
"""

import datetime as dt
from unittest import mock

from django.apps import apps
from django.db import connection
from django.utils import timezone

import pytest

from deliberation.models import Ballot, BallotChoice, Participation
from deliberation.services.votes import ballot_cast, vote_finalize
from tests.deliberation.factories import make_vote, residents

pytestmark = pytest.mark.django_db(transaction=True)

N = 24


def _vote_in_order(village, topic, committee):
    people = residents(village, N)
    vote = make_vote(topic, committee, kind="single", options=["甲", "乙"])
    a, b = (o.pk for o in vote.options.all())
    # First half chooses 甲, second half 乙: an order leak would split them.
    truth = {}
    for i, person in enumerate(people):
        choice = a if i < N // 2 else b
        ballot_cast(vote=vote, voter=person, option_ids=[choice])
        truth[person.pk] = choice
    return vote, truth, (a, b)


def _every_value_of(model, row_filter):
    rows = list(model.objects.filter(**row_filter).values())
    return rows


def test_no_column_of_any_row_names_a_voter_next_to_a_choice(village, topic, committee):
    vote, truth, _ = _vote_in_order(village, topic, committee)
    voter_ids = {str(pk) for pk in truth}
    participation_ids = {
        str(p) for p in Participation.objects.values_list("id", flat=True)
    }
    for row in _every_value_of(Ballot, {"vote": vote}) + _every_value_of(
        BallotChoice, {"ballot__vote": vote}
    ):
        values = {str(v) for v in row.values()}
        assert not values & participation_ids
        for key in row:
            if key.endswith("_id") and key not in {"vote_id", "ballot_id", "option_id"}:
                pytest.fail(f"ballot row refers to {key}")
        # no time on a ballot at all
        assert not any(isinstance(v, dt.datetime | dt.date) for v in row.values())
    for field in Ballot._meta.get_fields():
        related = getattr(field, "related_model", None)
        assert related in (None, apps.get_model("deliberation.Vote"), BallotChoice), (
            field
        )
    assert voter_ids  # sanity


def test_the_token_cannot_be_recomputed_from_the_voter(
    village, topic, committee, settings
):
    vote, truth, _ = _vote_in_order(village, topic, committee)
    from deliberation.services.votes import ballot_token

    tokens = set(Ballot.objects.filter(vote=vote).values_list("token", flat=True))
    # Even with the server key, guessing from what the database knows fails.
    for voter_id in truth:
        for guess in (str(voter_id), f"open-ballot:{voter_id}", ""):
            assert ballot_token(vote, guess) not in tokens


def _system_order(table: str) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT id::text, xmin::text FROM {table} ORDER BY ctid")  # noqa: S608
        else:
            cursor.execute(f"SELECT id, rowid FROM {table} ORDER BY rowid")  # noqa: S608
        return cursor.fetchall()


def test_after_finalising_insertion_order_no_longer_links(village, topic, committee):
    vote, truth, (a, _b) = _vote_in_order(village, topic, committee)
    with mock.patch(
        "django.utils.timezone.now",
        return_value=vote.closes_at + dt.timedelta(seconds=1),
    ):
        assert vote_finalize(vote=vote)
    choice_of = dict(
        BallotChoice.objects.filter(ballot__vote=vote).values_list(
            "ballot_id", "option_id"
        )
    )
    ordered = [row[0] for row in _system_order(Ballot._meta.db_table)]
    ordered = [bid for bid in ordered if _uuid(bid) in choice_of]
    assert len(ordered) == N
    if connection.vendor == "postgresql":
        # one transaction wrote them all: xmin is the same for every ballot
        xmins = {row[1] for row in _system_order(Ballot._meta.db_table)}
        assert len(xmins) == 1
    # Participations in their stored order, against ballots in theirs: if order
    # leaked, the first half of ballots would all be 甲. With a random shuffle,
    # at most a chance match; require that the split is not recovered exactly.
    first_half = [choice_of[_uuid(bid)] for bid in ordered[: N // 2]]
    assert first_half != [a] * (N // 2)
    # and the counts are intact
    assert sorted(choice_of.values()) == sorted(truth.values())
    assert Participation.objects.filter(vote=vote).count() == N


def test_finalising_waits_for_the_close_and_runs_once(village, topic, committee):
    vote, _, _ = _vote_in_order(village, topic, committee)
    assert not vote_finalize(vote=vote)
    later = timezone.now() + dt.timedelta(days=30)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert vote_finalize(vote=vote)
        assert not vote_finalize(vote=vote)
    vote.refresh_from_db()
    assert vote.electorate_size == N + 1  # the committee member is an adult resident


def _uuid(value):
    import uuid

    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))

"""Ballots: kinds, eligibility, changing, closing, settings lock, bad input."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest

from deliberation.models import Ballot, Participation, SealedBallot
from deliberation.selectors import vote_outcome
from deliberation.services.votes import ballot_cast, vote_update
from tests.deliberation.factories import ballots, make_vote, residents
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def option(vote, code_or_label):
    return next(o.pk for o in vote.options.all() if code_or_label in (o.code, o.label))


def test_a_secret_ballot_returns_a_receipt_and_counts_once(topic, committee, resident):
    vote = make_vote(topic, committee)
    receipt = ballot_cast(vote=vote, voter=resident, option_ids=[option(vote, "yes")])
    assert len(receipt) == 24
    assert Participation.objects.filter(vote=vote).count() == 1
    assert len(ballots(vote)) == 1


def test_the_receipt_replaces_the_ballot_until_close(topic, committee, resident):
    vote = make_vote(topic, committee)
    receipt = ballot_cast(vote=vote, voter=resident, option_ids=[option(vote, "yes")])
    again = ballot_cast(
        vote=vote,
        voter=resident,
        option_ids=[option(vote, "no")],
        receipt=receipt.lower().replace("-", " "),
    )
    assert again == receipt
    assert len(ballots(vote)) == 1
    assert list(ballots(vote).values()) == [(option(vote, "no"),)]


def test_without_the_receipt_a_second_ballot_is_refused(topic, committee, resident):
    vote = make_vote(topic, committee)
    ballot_cast(vote=vote, voter=resident, option_ids=[option(vote, "yes")])
    with pytest.raises(ValidationError) as e:
        ballot_cast(vote=vote, voter=resident, option_ids=[option(vote, "no")])
    assert e.value.code == "already_voted"
    assert sum(map(len, ballots(vote).values())) == 1


def test_someone_elses_receipt_does_not_let_a_non_voter_in(
    topic, committee, resident, village
):
    vote = make_vote(topic, committee)
    receipt = ballot_cast(vote=vote, voter=resident, option_ids=[option(vote, "yes")])
    (other,) = residents(village, 1)
    with pytest.raises(ValidationError) as e:
        ballot_cast(
            vote=vote, voter=other, option_ids=[option(vote, "no")], receipt=receipt
        )
    assert e.value.code == "bad_receipt"


def test_an_open_vote_changes_without_a_receipt(topic, committee, resident):
    vote = make_vote(topic, committee, is_secret=False)
    assert (
        ballot_cast(vote=vote, voter=resident, option_ids=[option(vote, "yes")]) == ""
    )
    ballot_cast(vote=vote, voter=resident, option_ids=[option(vote, "no")])
    assert len(ballots(vote)) == 1


def test_multiple_choice_respects_its_maximum(topic, committee, resident):
    vote = make_vote(
        topic,
        committee,
        kind="multiple",
        options=["修路", "装路灯", "建广场"],
        max_choices=2,
    )
    with pytest.raises(ValidationError) as e:
        ballot_cast(
            vote=vote, voter=resident, option_ids=[o.pk for o in vote.options.all()]
        )
    assert e.value.code == "too_many"
    ballot_cast(
        vote=vote,
        voter=resident,
        option_ids=[option(vote, "修路"), option(vote, "装路灯")],
    )
    assert sum(map(len, ballots(vote).values())) == 2


@pytest.mark.parametrize("bad", [[999999], ["x"], [], None])
def test_unknown_or_missing_options_write_nothing(topic, committee, resident, bad):
    vote = make_vote(topic, committee)
    with pytest.raises(ValidationError):
        ballot_cast(vote=vote, voter=resident, option_ids=bad or [])
    assert not Participation.objects.exists()
    assert not Ballot.objects.exists() and not SealedBallot.objects.exists()


def test_an_option_of_another_vote_is_unknown(topic, committee, resident):
    vote = make_vote(topic, committee)
    other = make_vote(topic, committee)
    with pytest.raises(ValidationError) as e:
        ballot_cast(vote=vote, voter=resident, option_ids=[option(other, "yes")])
    assert e.value.code == "unknown"


def test_closed_and_unopened_votes_refuse_ballots(topic, committee, resident):
    now = timezone.now()
    closed = make_vote(
        topic,
        committee,
        opens_at=now - dt.timedelta(days=2),
        closes_at=now - dt.timedelta(seconds=1),
    )
    later = make_vote(
        topic,
        committee,
        opens_at=now + dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=2),
    )
    for vote, code in [(closed, "closed"), (later, "not_open")]:
        with pytest.raises(ValidationError) as e:
            ballot_cast(vote=vote, voter=resident, option_ids=[option(vote, "yes")])
        assert e.value.code == code
    assert not Ballot.objects.exists() and not SealedBallot.objects.exists()


def test_eligibility_adults_verified_and_of_this_village(
    topic, committee, village, household, other_committee
):
    vote = make_vote(topic, committee)
    year = timezone.localtime(vote.opens_at).year
    child = MembershipFactory(
        village=village, household=household, birth_year=year - 17
    )
    just_adult = MembershipFactory(village=village, birth_year=year - 18)
    unverified = MembershipFactory(village=village, verified_at=None)
    left = MembershipFactory(village=village, left_at=timezone.now())
    yes = option(vote, "yes")
    for membership in [child, unverified, left]:
        with pytest.raises(ValidationError) as e:
            ballot_cast(vote=vote, voter=membership.user, option_ids=[yes])
        assert e.value.code == "not_eligible"
    with pytest.raises(ValidationError):
        ballot_cast(vote=vote, voter=other_committee, option_ids=[yes])
    ballot_cast(vote=vote, voter=just_adult.user, option_ids=[yes])
    assert len(ballots(vote)) == 1


def test_one_ballot_per_household_by_its_representative(
    topic, committee, village, household, household_rep, resident
):
    vote = make_vote(topic, committee, electorate="households")
    yes = option(vote, "yes")
    with pytest.raises(ValidationError) as e:
        ballot_cast(vote=vote, voter=resident, option_ids=[yes])
    assert e.value.code == "not_eligible"
    ballot_cast(vote=vote, voter=household_rep, option_ids=[yes])
    assert Participation.objects.get().household == household


def test_settings_lock_once_voting_starts(topic, committee):
    now = timezone.now()
    future = make_vote(
        topic,
        committee,
        opens_at=now + dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=2),
    )
    vote_update(vote=future, by=committee, question="改过的问题")
    started = make_vote(topic, committee)
    with pytest.raises(ValidationError) as e:
        vote_update(vote=started, by=committee, is_secret=False)
    assert e.value.code == "locked"
    with pytest.raises(ValidationError):
        vote_update(
            vote=started,
            by=committee,
            closes_at=started.closes_at - dt.timedelta(hours=1),
        )
    vote_update(
        vote=started, by=committee, closes_at=started.closes_at + dt.timedelta(days=1)
    )


def test_results_after_close_are_hidden_while_open_but_turnout_shows(
    topic, committee, resident
):
    vote = make_vote(topic, committee, results_live=False)
    ballot_cast(vote=vote, voter=resident, option_ids=[option(vote, "yes")])
    outcome = vote_outcome(vote)
    assert not outcome.visible
    assert outcome.options == []
    assert outcome.participants == 1

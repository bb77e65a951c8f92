"""Turnout against the rule the vote is held under, and whether it passed."""

from django.core.exceptions import ValidationError

import pytest

from deliberation.selectors import vote_outcome
from deliberation.services.votes import ballot_cast
from tests.deliberation.factories import make_vote, residents

pytestmark = pytest.mark.django_db


def yes_no(vote):
    return {o.code: o.pk for o in vote.options.all()}


def cast(vote, people, choice):
    ids = yes_no(vote)
    for person in people:
        ballot_cast(vote=vote, voter=person, option_ids=[ids[choice]])


def test_villagers_meeting_needs_more_than_half_of_adults(topic, committee, village):
    # committee member + 9 residents = 10 adults; 9 households (committee has none).
    people = residents(village, 9)
    vote = make_vote(topic, committee, rule="villagers")
    cast(vote, people[:5], "yes")
    outcome = vote_outcome(vote)
    assert outcome.electorate == 10
    assert outcome.required == 6
    assert not outcome.valid and outcome.passed is False
    cast(vote, people[5:6], "no")
    outcome = vote_outcome(vote)
    # 6 of 10 adults: valid; 5 yes of 6 cast passes.
    assert outcome.valid and outcome.passed


def test_villagers_meeting_is_valid_with_two_thirds_of_households(
    topic, committee, village
):
    people = residents(village, 3)
    # Add many adults to one household so persons stay under half.
    from tests.factories import MembershipFactory

    for _ in range(5):
        MembershipFactory(village=village, household=None)
    vote = make_vote(topic, committee, rule="villagers")
    cast(vote, people[:2], "yes")
    outcome = vote_outcome(vote)
    assert outcome.participants * 2 <= outcome.electorate
    assert outcome.households_participating == 2 and outcome.households_total == 3
    assert outcome.valid


def test_a_decision_needs_more_than_half_of_ballots_cast(topic, committee, village):
    people = residents(village, 4)
    vote = make_vote(topic, committee, rule="consultation")
    cast(vote, people[:2], "yes")
    cast(vote, people[2:3], "no")
    cast(vote, people[3:], "abstain")
    outcome = vote_outcome(vote)
    assert outcome.valid and outcome.cast == 4
    assert outcome.passed is False  # 2 of 4 is not more than half


def test_representatives_meeting_needs_two_thirds_of_the_representatives(
    topic, committee, village
):
    reps = residents(village, 6, is_villager_rep=True)  # 6 村民代表
    others = residents(village, 20)  # villagers who are not representatives
    vote = make_vote(
        topic, committee, rule="representatives", electorate="representatives"
    )
    cast(vote, reps[:3], "yes")
    outcome = vote_outcome(vote)
    assert outcome.electorate == 6 and outcome.required == 4
    assert not outcome.valid
    cast(vote, reps[3:4], "yes")
    outcome = vote_outcome(vote)
    assert outcome.valid and outcome.passed
    with pytest.raises(ValidationError):
        cast(vote, others[:1], "no")  # not a representative: no ballot
    assert vote_outcome(vote).cast == 4


@pytest.mark.parametrize(
    ("rule", "electorate"),
    [
        ("representatives", "residents"),
        ("representatives", "households"),
        ("villagers", "representatives"),
    ],
)
def test_a_representatives_meeting_is_voted_by_the_representatives_only(
    topic, committee, rule, electorate
):
    with pytest.raises(ValidationError):
        make_vote(topic, committee, rule=rule, electorate=electorate)
    assert not topic.votes.exists()


def test_a_consultation_may_ask_the_representatives(topic, committee, village):
    reps = residents(village, 2, is_villager_rep=True)
    residents(village, 3)
    vote = make_vote(
        topic, committee, rule="consultation", electorate="representatives"
    )
    cast(vote, reps, "yes")
    outcome = vote_outcome(vote)
    assert outcome.electorate == 2 and outcome.valid and outcome.passed


def test_choice_votes_name_a_winner_with_a_majority(topic, committee, village):
    people = residents(village, 3)
    vote = make_vote(topic, committee, kind="single", options=["东线", "西线"])
    ids = {o.label: o.pk for o in vote.options.all()}
    for person, label in zip(people, ["东线", "东线", "西线"], strict=True):
        ballot_cast(vote=vote, voter=person, option_ids=[ids[label]])
    outcome = vote_outcome(vote)
    assert outcome.winner.label == "东线" and outcome.passed


def test_a_consultation_nobody_took_part_in_is_no_result(topic, committee, village):
    residents(village, 3)
    vote = make_vote(topic, committee, rule="consultation")
    outcome = vote_outcome(vote)
    assert outcome.required == 0
    assert not outcome.valid and not outcome.passed

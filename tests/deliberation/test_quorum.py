"""Turnout against the rule the vote is held under, and whether it passed."""

from django.core.exceptions import ValidationError

import pytest

from deliberation.selectors import vote_outcome
from deliberation.services.votes import ballot_cast
from tests.deliberation.factories import make_vote as make_any_vote
from tests.deliberation.factories import residents

pytestmark = pytest.mark.django_db


def make_vote(topic, by, **kw):
    # Quorum is counted the same for secret and open votes; an open vote shows
    # counts of a handful of ballots (a secret one keeps them back).
    return make_any_vote(topic, by, **{"is_secret": False, **kw})


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
    assert not outcome.has_quorum and outcome.cast == 4
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
    assert outcome.electorate == 2 and not outcome.valid and outcome.passed


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


# 村民委员会组织法 第二十二条, at its edges: 300 adults in 150 households of two
# (the representative and one grown-up child each), and a committee clerk who is
# not a resident, so the numbers are the law's own.
ADULTS, HOUSEHOLDS = 300, 150


@pytest.fixture
def big_village(village):
    from tests.factories import HouseholdFactory, MembershipFactory

    clerk = MembershipFactory(village=village, is_committee=True, is_resident=False)
    reps, others = [], []
    for _ in range(HOUSEHOLDS):
        household = HouseholdFactory(village=village)
        reps.append(
            MembershipFactory(
                village=village, household=household, is_household_rep=True
            ).user
        )
        others.append(MembershipFactory(village=village, household=household).user)
    return clerk.user, reps, others


@pytest.fixture
def big_topic(village, big_village):
    from tests.deliberation.factories import TopicFactory

    return TopicFactory(village=village, created_by=big_village[0])


@pytest.mark.parametrize(("voters", "valid"), [(149, False), (150, False), (151, True)])
def test_more_than_half_of_300_adults_is_151(big_village, big_topic, voters, valid):
    clerk, reps, others = big_village
    vote = make_vote(big_topic, clerk, rule="villagers")
    # Mostly household members who are not representatives, so only the
    # first clause (过半数 of the adults) can make the vote valid.
    cast(vote, (others + reps)[:voters], "yes")
    outcome = vote_outcome(vote)
    assert outcome.electorate == ADULTS and outcome.required == 151
    assert outcome.households_participating == max(0, voters - HOUSEHOLDS)
    assert outcome.valid is valid


@pytest.mark.parametrize(("households", "valid"), [(99, False), (100, True)])
@pytest.mark.parametrize("electorate", ["households", "residents"])
def test_two_thirds_of_150_households_is_100_of_their_representatives(
    big_village, big_topic, households, valid, electorate
):
    clerk, reps, _others = big_village
    vote = make_vote(big_topic, clerk, rule="villagers", electorate=electorate)
    cast(vote, reps[:households], "yes")
    outcome = vote_outcome(vote)
    assert outcome.households_total == HOUSEHOLDS
    assert outcome.households_participating == households
    assert (outcome.required if electorate == "households" else 151) > 99
    assert outcome.valid is valid


def test_residents_of_149_households_are_not_their_households_representatives(
    big_village, big_topic
):
    clerk, _reps, others = big_village
    vote = make_vote(big_topic, clerk, rule="villagers")
    cast(vote, others[:149], "yes")  # one grown-up child from each of 149 households
    outcome = vote_outcome(vote)
    assert outcome.participants == 149 and outcome.households_participating == 0
    assert not outcome.valid  # 149 of 300 adults, and no household represented


def test_a_consultation_is_never_called_valid(client, topic, committee, village):
    people = residents(village, 3)
    vote = make_vote(topic, committee, rule="consultation")
    cast(vote, people, "yes")
    outcome = vote_outcome(vote)
    assert not outcome.has_quorum and not outcome.valid and outcome.passed
    client.force_login(committee)
    page = client.get(vote.get_absolute_url()).content.decode()
    assert "参加人数已达法定要求" not in page and "投票有效" not in page
    assert "不设法定人数" in page and "仅供参考" in page


def test_ballots_cast_before_the_flag_existed_learn_it_from_the_membership(
    topic, committee, village, household, household_rep, resident
):
    import importlib

    from django.apps import apps

    from deliberation.models import Participation

    migration = importlib.import_module(
        "deliberation.migrations.0005_secret_ballot_box"
    )
    vote = make_vote(topic, committee, rule="villagers")
    yes = yes_no(vote)["yes"]
    for person in (household_rep, resident):
        ballot_cast(vote=vote, voter=person, option_ids=[yes])
    Participation.objects.update(household_rep=False)  # as the old rows stood
    migration.household_reps(apps, None)
    flagged = dict(Participation.objects.values_list("voter_id", "household_rep"))
    assert flagged == {household_rep.pk: True, resident.pk: False}

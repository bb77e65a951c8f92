"""Who may do what, in which phase: a role × phase matrix with time frozen."""

import datetime as dt
from unittest import mock

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

import pytest

from deliberation.models import Comment, Phase, Topic, Vote
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 12, 3, 10, 0))
ROLES = [
    "anonymous",
    "unverified",
    "resident",
    "household_rep",
    "grid_worker",
    "committee",
    "other_village",
]


@pytest.fixture
def people(
    village, household, resident, household_rep, grid_worker, committee, other_committee
):
    return {
        "anonymous": AnonymousUser(),
        "unverified": MembershipFactory(village=village, verified_at=None).user,
        "resident": resident,
        "household_rep": household_rep,
        "grid_worker": grid_worker,
        "committee": committee,
        "other_village": other_committee,
    }


@pytest.fixture
def frozen():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def make_topic(village, by, phase):
    return Topic.objects.create(
        village=village,
        title="t",
        description="d",
        origin=Topic.Origin.COMMITTEE,
        phase=phase,
        created_by=by,
    )


# Comment: verified residents (committee and grid workers are residents too),
# in every phase but "evaluated" and "declined".
COMMENT_ALLOWED = {"resident", "household_rep", "grid_worker", "committee"}
COMMENT_PHASES = set(Phase.values) - {Phase.EVALUATED, Phase.DECLINED}


@pytest.mark.parametrize("phase", Phase.values)
@pytest.mark.parametrize("role", ROLES)
def test_comment(people, village, committee, frozen, role, phase):
    topic = make_topic(village, committee, phase)
    expected = role in COMMENT_ALLOWED and phase in COMMENT_PHASES
    assert people[role].has_perm("deliberation.comment", topic) is expected


@pytest.mark.parametrize("phase", Phase.values)
@pytest.mark.parametrize("role", ROLES)
def test_cosign(people, village, frozen, role, phase):
    proposer = MembershipFactory(village=village).user
    topic = make_topic(village, proposer, phase)
    topic.origin = Topic.Origin.RESIDENTS
    expected = role in COMMENT_ALLOWED and phase == Phase.PROPOSED
    assert people[role].has_perm("deliberation.cosign", topic) is expected


def test_the_proposer_does_not_cosign_their_own(people, village, resident, frozen):
    topic = make_topic(village, resident, Phase.PROPOSED)
    assert not resident.has_perm("deliberation.cosign", topic)


def make_vote(village, committee, electorate, opens, closes):
    topic = make_topic(village, committee, Phase.VOTING)
    return Vote.objects.create(
        village=village,
        topic=topic,
        question="q",
        kind="yes_no",
        electorate=electorate,
        rule="consultation",
        opens_at=NOW + opens,
        closes_at=NOW + closes,
        created_by=committee,
    )


WINDOWS = {
    "before": (dt.timedelta(hours=1), dt.timedelta(days=1)),
    "open": (dt.timedelta(hours=-1), dt.timedelta(days=1)),
    "at_close": (dt.timedelta(days=-1), dt.timedelta(0)),
    "after": (dt.timedelta(days=-2), dt.timedelta(days=-1)),
}
VOTERS = {
    "residents": {"resident", "household_rep", "grid_worker", "committee"},
    "households": {"household_rep"},
}


@pytest.mark.parametrize("electorate", ["residents", "households"])
@pytest.mark.parametrize("window", WINDOWS)
@pytest.mark.parametrize("role", ROLES)
def test_vote(people, village, committee, frozen, role, window, electorate):
    vote = make_vote(village, committee, electorate, *WINDOWS[window])
    expected = window == "open" and role in VOTERS[electorate]
    assert people[role].has_perm("deliberation.vote", vote) is expected


@pytest.mark.parametrize("window", WINDOWS)
@pytest.mark.parametrize("role", ROLES)
def test_record_paper_ballot(people, village, committee, frozen, role, window):
    vote = make_vote(village, committee, "residents", *WINDOWS[window])
    expected = window == "open" and role == "grid_worker"
    assert people[role].has_perm("deliberation.record_paper_ballot", vote) is expected


@pytest.mark.parametrize("phase", Phase.values)
@pytest.mark.parametrize("role", ROLES)
def test_hide(people, village, committee, resident, frozen, role, phase):
    topic = make_topic(village, committee, phase)
    comment = Comment.objects.create(topic=topic, author=resident, body="x")
    assert people[role].has_perm("deliberation.hide_comment", comment) is (
        role == "committee"
    )


MEETING_PHASES = {Phase.COLLECTING, Phase.VOTING, Phase.DECIDED, Phase.IN_PROGRESS}


@pytest.mark.parametrize("phase", Phase.values)
@pytest.mark.parametrize("role", ROLES)
def test_record_meeting(people, village, committee, frozen, role, phase):
    topic = make_topic(village, committee, phase)
    expected = role == "committee" and phase in MEETING_PHASES
    assert people[role].has_perm("deliberation.record_meeting", topic) is expected


def test_the_other_villages_committee_manages_nothing_here(
    people, village, committee, frozen
):
    topic = make_topic(village, committee, Phase.COLLECTING)
    other = people["other_village"]
    for perm in [
        "deliberation.view",
        "deliberation.manage_topic",
        "deliberation.add_progress",
        "deliberation.report_comment",
    ]:
        assert not other.has_perm(perm, topic), perm
    assert not other.has_perm("deliberation.add_topic", village)

"""Factories for deliberation tests."""

import datetime as dt

from django.utils import timezone

import factory

from deliberation.models import Comment, Phase, Topic
from deliberation.services.votes import vote_create
from tests.factories import MembershipFactory, UserFactory


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    village = None
    title = factory.Sequence(lambda n: f"修村道第{n}段")
    description = "村东头的路坑坑洼洼，下雨天走不了。"
    origin = Topic.Origin.COMMITTEE
    phase = Phase.COLLECTING
    created_by = factory.SubFactory(UserFactory)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    topic = factory.SubFactory(TopicFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"意见{n}：同意先修主路。")


def make_vote(topic, by, **overrides):
    now = timezone.now()
    options = {
        "question": "是否同意硬化村东道路？",
        "kind": "yes_no",
        "electorate": "residents",
        "rule": "consultation",
        "opens_at": now - dt.timedelta(hours=1),
        "closes_at": now + dt.timedelta(days=3),
        "results_live": True,
        "is_secret": True,
    }
    options.update(overrides)
    return vote_create(topic=topic, by=by, **options)


def residents(village, n, **extra):
    """n verified adult residents, each in a household of their own."""
    from tests.factories import HouseholdFactory

    people = []
    for _ in range(n):
        household = HouseholdFactory(village=village)
        people.append(
            MembershipFactory(
                village=village,
                household=household,
                is_household_rep=True,
                **extra,
            ).user
        )
    return people


def ballots(vote) -> dict:
    """Every ballot of a vote, token → option ids: those in the box and those
    still waiting sealed (opened with the server's key, as a closed tally does)."""
    from deliberation.ballot_box import all_ballots

    return all_ballots(vote)

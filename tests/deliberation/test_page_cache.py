"""The topic page's shared part is cached per change of the topic: every change
through the services shows at once, another village's address never serves it,
and an entry lives no longer than the next opening or closing of a vote."""

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from deliberation import page_cache
from deliberation.services.comments import comment_add
from deliberation.services.followup import progress_add
from deliberation.services.topics import topic_publish_decision
from deliberation.services.votes import ballot_cast
from tests.deliberation.factories import TopicFactory, make_vote, residents

pytestmark = pytest.mark.django_db


def page(user, topic, village=None) -> tuple[int, str]:
    client = Client()
    client.force_login(user)
    response = client.get(
        reverse(
            "deliberation:topic",
            kwargs={"village": (village or topic.village).slug, "pk": topic.pk},
        )
    )
    return response.status_code, response.content.decode()


def test_a_ballot_shows_in_the_live_tally_at_once(village, topic, committee):
    people = residents(village, 3)
    vote = make_vote(topic, committee)
    yes = vote.options.get(code="yes").pk
    ballot_cast(vote=vote, voter=people[0], option_ids=[yes])
    _, before = page(people[0], topic)
    ballot_cast(vote=vote, voter=people[1], option_ids=[yes])
    _, after = page(people[0], topic)
    assert before != after
    assert "2" in after.split(f'id="vote{vote.pk}"')[1].split("</section>")[0]


def test_every_change_through_the_services_shows_at_once(
    village, topic, committee, resident
):
    page(resident, topic)  # cached
    comment_add(topic=topic, by=resident, body="排水沟要一起修")
    assert "排水沟要一起修" in page(resident, topic)[1]
    topic_publish_decision(topic=topic, by=committee, decision="明年春天开工")
    assert "明年春天开工" in page(resident, topic)[1]
    progress_add(topic=topic, by=committee, percent=40, text="路基已平整")
    assert "路基已平整" in page(resident, topic)[1]


def test_a_cached_topic_is_not_served_under_another_village(
    village, other_village, topic, committee, other_committee
):
    assert page(committee, topic)[0] == 200  # now in the cache
    status, body = page(other_committee, topic, village=other_village)
    assert status == 404
    assert topic.title not in body


def test_the_second_reader_costs_no_topic_queries(village, topic, committee):
    first, second = residents(village, 2)
    make_vote(topic, committee)
    page(first, topic)
    client = Client()
    client.force_login(second)
    url = reverse(
        "deliberation:topic", kwargs={"village": village.slug, "pk": topic.pk}
    )
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "deliberation_" not in tables


def test_an_entry_lives_no_longer_than_until_a_vote_opens_or_closes(village, committee):
    now = timezone.now()
    topic = TopicFactory(village=village, created_by=committee)
    assert page_cache._lifetime(topic, now) == page_cache.TOPIC_PAGE_SECONDS
    make_vote(
        topic,
        committee,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(seconds=20),
    )
    assert 1 <= page_cache._lifetime(topic, now) <= 20
    later = TopicFactory(village=village, created_by=committee)
    make_vote(
        later,
        committee,
        opens_at=now + dt.timedelta(seconds=7),
        closes_at=now + dt.timedelta(days=1),
    )
    assert 1 <= page_cache._lifetime(later, now) <= 7

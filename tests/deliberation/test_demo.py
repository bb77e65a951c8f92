import pytest

from deliberation.demo import seed_deliberation_demo
from deliberation.models import Topic
from tests.deliberation.factories import ballots, residents

pytestmark = pytest.mark.django_db


def test_demo_seed_makes_a_topic_with_comments_and_an_open_vote(
    village, committee, client
):
    residents(village, 12)
    road = seed_deliberation_demo(village)
    assert road.comments.count() >= 10
    vote = road.votes.first()
    assert vote.is_open() and ballots(vote)
    assert seed_deliberation_demo(village) == road
    assert Topic.objects.filter(village=village).count() == 3
    client.force_login(committee)
    assert client.get(road.get_absolute_url()).status_code == 200
    assert client.get(vote.get_absolute_url()).status_code == 200

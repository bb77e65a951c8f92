import pytest

from tests.deliberation.factories import TopicFactory


@pytest.fixture
def topic(village, committee):
    return TopicFactory(village=village, created_by=committee)


@pytest.fixture
def other_topic(other_village, other_committee):
    return TopicFactory(village=other_village, created_by=other_committee)

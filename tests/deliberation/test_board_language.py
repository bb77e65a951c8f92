"""A vote's print view and poster are in the village's language, not the
language of the browser that printed them."""

from django.urls import reverse

import pytest

from tests.deliberation.factories import make_vote

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["vote_print", "vote_poster"])
def test_vote_paper_is_in_the_village_language(client, village, topic, committee, name):
    vote = make_vote(topic, committee)
    client.force_login(committee)
    response = client.get(
        reverse(
            f"deliberation:{name}", kwargs={"village": village.slug, "pk": vote.pk}
        ),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    assert 'lang="zh-hans"' in page
    if name == "vote_print":
        assert "投票时间" in page and "Voting period" not in page

"""A topic page costs a fixed number of queries, whatever its number of comments."""

from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from deliberation.models import Comment, CommentRevision, Topic
from deliberation.page_cache import topic_changed
from deliberation.services.votes import ballot_cast
from tests.deliberation.factories import make_vote, residents

pytestmark = pytest.mark.django_db

# session, user, village, membership, topic, phase dates, attachments, votes,
# options, meetings, progress, ratings, settings, unread messages; the open
# vote's households, electorate, turnout and tally; and, while the cached comment
# list is stale, threads, replies and both sets of earlier versions (4).
TOPIC_PAGE_QUERIES = 23
# Once the topic's shared part and its comment list are cached: session, user,
# village, membership, unread messages.
WARM_TOPIC_PAGE_QUERIES = 5


def _fill(topic, authors, n):
    threads = Comment.objects.bulk_create(
        [
            Comment(topic=topic, author=authors[i % len(authors)], body=f"意见{i}")
            for i in range(n // 2)
        ]
    )
    replies = Comment.objects.bulk_create(
        [
            Comment(
                topic=topic,
                parent=threads[i % len(threads)],
                author=authors[(i + 1) % len(authors)],
                body=f"回复{i}",
            )
            for i in range(n - n // 2)
        ]
    )
    edited = [*threads[:20], *replies[:20]]
    CommentRevision.objects.bulk_create(
        [CommentRevision(comment=c, body="旧的") for c in edited]
    )
    Comment.objects.filter(pk__in=[c.pk for c in edited]).update(
        edited_at="2026-12-01T00:00Z"
    )
    threads[0].hidden = "committee"
    threads[0].hidden_reason = "广告"
    threads[0].save()
    # written behind the services' back: renew the cached page by hand
    Topic.objects.filter(pk=topic.pk).update(comments_version=F("comments_version") + 1)
    topic_changed(topic.pk)


def _count(client, topic):
    url = reverse(
        "deliberation:topic", kwargs={"village": topic.village.slug, "pk": topic.pk}
    )
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    if __import__("os").environ.get("SHOW_QUERIES"):
        for q in ctx.captured_queries:
            print(q["sql"][:150])
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("viewer", ["resident", "committee"])
def test_topic_page_with_500_comments_and_an_open_vote(
    client, request, village, topic, committee, viewer
):
    people = residents(village, 10)
    vote = make_vote(topic, committee)
    for person in people[:5]:
        ballot_cast(vote=vote, voter=person, option_ids=[vote.options.first().pk])
    user = request.getfixturevalue(viewer)
    client.force_login(user)
    _fill(topic, people, 10)
    small, _ = _count(client, topic)
    _fill(topic, people, 490)
    big, response = _count(client, topic)
    assert topic.comments.count() == 500
    assert small == big
    assert big <= TOPIC_PAGE_QUERIES, big
    assert response.content.decode().count('class="comment"') == 500
    warm, response = _count(client, topic)
    assert warm == WARM_TOPIC_PAGE_QUERIES
    assert response.content.decode().count('class="comment"') == 500


# session, user, village, membership, the vote (with its village's settings and
# topic), options, unread messages, may vote, voted; households, electorate,
# turnout, tally (the box, in one query). The print view needs no ballot form.
VOTE_PAGE_QUERIES = {"vote": 13, "vote_print": 11}


@pytest.mark.parametrize("page", ["vote", "vote_print"])
def test_a_secret_vote_page_costs_the_same_with_few_or_many_ballots(
    client, village, topic, committee, page
):
    people = residents(village, 30)
    vote = make_vote(topic, committee)
    first = vote.options.first().pk
    url = reverse(
        f"deliberation:{page}", kwargs={"village": village.slug, "pk": vote.pk}
    )
    client.force_login(committee)
    counts = []
    for voters in (people[:3], people[3:]):  # withheld, then shown from the box
        for person in voters:
            ballot_cast(vote=vote, voter=person, option_ids=[first])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts == [VOTE_PAGE_QUERIES[page]] * 2, counts

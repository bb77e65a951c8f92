"""The shared part of a topic page, read once per change of the topic.

The topic with its dates, attachments, votes and their outcomes, meetings,
progress and ratings is the same for every reader, so it is read from the
database once per change and kept in the cache; each reader adds only what is
theirs (rights and forms), and the comment list is cached on its own
(``views.topics._comments_html``).

Every service that changes what the page shows calls ``topic_changed``, which
sets a new generation at once and again after the transaction commits; a reader
takes the generation *before* it reads the database, so a reader that raced a
writer stores what it read under a generation that nobody asks for again. An entry also
lives no longer than the next moment one of the topic's votes opens or closes
(results then appear, or the tally stops being live), and at most
``TOPIC_PAGE_SECONDS``, which bounds what no service announces (a household
added by the roster changes a turnout's denominator).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from deliberation import selectors
from deliberation.models import Topic
from deliberation.origins import topic_origins
from villages.models import Village

TOPIC_PAGE_SECONDS = 60


@dataclass
class TopicPage:
    topic: Topic
    votes: list  # [(vote, outcome)]
    cosign_threshold: int
    progress_percent: int | None
    origins: list  # [TopicOrigin]: what the topic grew out of (deliberation.origins)


def _generation_key(topic_id: int) -> str:
    return f"deliberation:topic:{topic_id}:generation"


def topic_changed(topic_id: int) -> None:
    """Forget the cached page of the topic now and again once the current
    transaction commits (a reader in between may have cached what it read before
    the commit)."""

    def renew():
        cache.set(_generation_key(topic_id), uuid.uuid4().hex, None)

    renew()
    transaction.on_commit(renew)


def _generation(topic_id: int) -> str:
    key = _generation_key(topic_id)
    generation = cache.get(key)
    if generation is None:
        cache.add(key, uuid.uuid4().hex, None)
        generation = cache.get(key) or ""
    return generation


def topic_page(*, village: Village, pk: int) -> TopicPage:
    """The topic's shared page data; Topic.DoesNotExist if it is not the village's."""
    key = f"deliberation:topic-page:{pk}:{_generation(pk)}"
    page = cache.get(key)
    if page is not None and page.topic.village_id == village.pk:
        return _in(page, village)
    if page is not None:  # another village's topic under this village's address
        raise Topic.DoesNotExist
    topic = selectors.topic_for_page(village=village, pk=pk)
    now = timezone.now()
    votes = [
        (vote, selectors.vote_outcome(vote, now=now)) for vote in topic.votes.all()
    ]
    updates = list(topic.progress.all())
    page = TopicPage(
        topic=topic,
        votes=votes,
        cosign_threshold=selectors.settings_for(village).cosign_threshold,
        progress_percent=updates[-1].percent if updates else None,
        origins=topic_origins(topic=topic),
    )
    cache.set(key, page, _lifetime(topic, now))
    return _in(page, village)


def _in(page: TopicPage, village: Village) -> TopicPage:
    """Hang the request's village on what the page links to (saves a query each)."""
    page.topic.village = village
    for vote, _outcome in page.votes:
        vote.village = village
    return page


def _lifetime(topic: Topic, now) -> int:
    moments = [
        moment
        for vote in topic.votes.all()
        for moment in (vote.opens_at, vote.closes_at)
        if moment and moment > now
    ]
    if not moments:
        return TOPIC_PAGE_SECONDS
    seconds = int((min(moments) - now).total_seconds())
    return max(1, min(TOPIC_PAGE_SECONDS, seconds))

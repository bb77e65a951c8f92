"""Who may do what, in which phase: named django-rules permissions.

Object permissions take a Topic, a Vote or a Comment (whose village they read);
"village" permissions take the Village. Time comes from ``timezone.now()`` so
tests can freeze it.
"""

from __future__ import annotations

from django.utils import timezone

import rules

from deliberation.models import Comment, Phase, Topic, Vote
from villages.access import (
    is_committee,
    is_grid_worker,
    is_member,
    is_supervisor,
    membership_for,
)

# Phases in which residents may comment, and in which a meeting is recorded.
COMMENT_PHASES = frozenset(
    {
        Phase.PROPOSED,
        Phase.COLLECTING,
        Phase.VOTING,
        Phase.DECIDED,
        Phase.IN_PROGRESS,
        Phase.DONE,
    }
)
MEETING_PHASES = frozenset(
    {Phase.COLLECTING, Phase.VOTING, Phase.DECIDED, Phase.IN_PROGRESS}
)
RATING_PHASES = frozenset({Phase.DONE, Phase.EVALUATED})


def village_of(obj):
    if isinstance(obj, Topic | Vote):
        return obj.village
    if isinstance(obj, Comment):
        return obj.topic.village
    return obj


def _on_village(predicate):
    """Lift a (user, village) predicate to take a topic, vote or comment."""

    @rules.predicate(name=f"{predicate.name}_of_object")
    def lifted(user, obj) -> bool:
        return predicate.test(user, village_of(obj))

    return lifted


@rules.predicate
def is_verified_resident(user, obj) -> bool:
    membership = membership_for(user, village_of(obj))
    return bool(membership and membership.is_resident and membership.verified_at)


@rules.predicate
def may_take_part(user, obj) -> bool:
    """A verified adult resident: who may propose and co-sign (the law's rule)."""
    from deliberation.selectors import participation_refusal

    return participation_refusal(user=user, village=village_of(obj)) is None


@rules.predicate
def topic_open_for_comments(user, topic) -> bool:
    return topic.phase in COMMENT_PHASES


@rules.predicate
def topic_collects_cosignatures(user, topic) -> bool:
    return topic.phase == Phase.PROPOSED and topic.created_by_id != user.pk


@rules.predicate
def topic_open_for_meetings(user, topic) -> bool:
    return topic.phase in MEETING_PHASES


@rules.predicate
def topic_open_for_ratings(user, topic) -> bool:
    return topic.phase in RATING_PHASES


@rules.predicate
def vote_is_open(user, vote) -> bool:
    return vote.is_open(timezone.now())


@rules.predicate
def may_vote_in(user, vote) -> bool:
    from deliberation.selectors import is_eligible

    return is_eligible(user=user, vote=vote)


member = _on_village(is_member)
supervisor = _on_village(is_supervisor)
committee = _on_village(is_committee)
grid_worker = _on_village(is_grid_worker)

# Reading: every member of the village, and the township's supervisors.
rules.add_perm("deliberation.view", member | supervisor)
# Topics: the committee raises them; verified residents propose and co-sign.
rules.add_perm("deliberation.add_topic", committee)
rules.add_perm("deliberation.propose_topic", may_take_part)
rules.add_perm("deliberation.manage_topic", committee)
rules.add_perm("deliberation.cosign", may_take_part & topic_collects_cosignatures)
# Comments: verified residents, while the topic is open for them.
rules.add_perm("deliberation.comment", is_verified_resident & topic_open_for_comments)
rules.add_perm("deliberation.report_comment", member)
rules.add_perm("deliberation.hide_comment", committee)
# Votes.
rules.add_perm("deliberation.vote", vote_is_open & may_vote_in)
rules.add_perm("deliberation.record_paper_ballot", grid_worker & vote_is_open)
# Meetings, follow-up and the residents' evaluation.
rules.add_perm("deliberation.record_meeting", committee & topic_open_for_meetings)
rules.add_perm("deliberation.add_progress", committee)
rules.add_perm("deliberation.rate", is_verified_resident & topic_open_for_ratings)

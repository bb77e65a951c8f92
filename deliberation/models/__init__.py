"""Deliberation (议事): topics, comments, votes, meetings, follow-up."""

from deliberation.models.comments import Comment, CommentReport, CommentRevision
from deliberation.models.followup import Meeting, ProgressUpdate, Rating
from deliberation.models.topics import (
    CoSignature,
    DeliberationSettings,
    Phase,
    PhaseDate,
    Topic,
    TopicAttachment,
)
from deliberation.models.votes import (
    Ballot,
    BallotChoice,
    Electorate,
    Participation,
    QuorumRule,
    SealedBallot,
    Vote,
    VoteKind,
    VoteOption,
)

__all__ = [
    "Ballot",
    "BallotChoice",
    "CoSignature",
    "Comment",
    "CommentReport",
    "CommentRevision",
    "DeliberationSettings",
    "Electorate",
    "Meeting",
    "Participation",
    "Phase",
    "PhaseDate",
    "ProgressUpdate",
    "QuorumRule",
    "Rating",
    "SealedBallot",
    "Topic",
    "TopicAttachment",
    "Vote",
    "VoteKind",
    "VoteOption",
]

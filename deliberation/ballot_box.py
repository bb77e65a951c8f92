"""The ballot box of a secret vote: ballots wait sealed, then go in shuffled batches.

Why, and what it guarantees, is the design note of ``deliberation.models.votes``.
Reads (``pending``, ``all_ballots``) serve the tally of a closed vote; writes
(``ballot_wait``, ``ballot_box_fill``) serve the voting services.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from django.db import transaction

from deliberation.models import Ballot, BallotChoice, SealedBallot, Vote
from deliberation.seal import Sealed, latest_per_token, seal, unseal

# k: a ballot enters the box only with at least this many others' (different
# receipts), so whoever reads the database links it to its voter at best 1 in k.
BATCH = 10


def option_order(vote: Vote) -> list[int]:
    return [option.pk for option in vote.options.all()]


def pending(vote: Vote) -> list[tuple[object, Sealed]]:
    """The waiting ballots, opened: (row id, content)."""
    order = option_order(vote)
    return [
        (pk, unseal(vote_id=vote.pk, option_order=order, sealed=sealed))
        for pk, sealed in SealedBallot.objects.filter(vote=vote).values_list(
            "id", "sealed"
        )
    ]


def _stored(vote: Vote, token: str) -> str:
    """What a boxed ballot keeps of its receipt token. A secret vote seals it
    afresh each time the box is written, so no value survives a rewrite and a
    changed ballot cannot be followed from the old box to the new; an open vote
    keeps the token itself."""
    if not vote.is_secret:
        return token
    return seal(vote_id=vote.pk, option_order=[], token=token, option_ids=())


def _token(vote: Vote, stored: str) -> str:
    if not vote.is_secret:
        return stored
    return unseal(vote_id=vote.pk, option_order=[], sealed=stored).token


def boxed(vote: Vote) -> dict[str, tuple[int, ...]]:
    """The ballots in the box, receipt token → option ids."""
    return {
        _token(vote, ballot.token): tuple(c.option_id for c in ballot.choices.all())
        for ballot in Ballot.objects.filter(vote=vote).prefetch_related("choices")
    }


def _boxed_tokens(vote: Vote) -> set[str]:
    return {
        _token(vote, stored)
        for stored in Ballot.objects.filter(vote=vote).values_list("token", flat=True)
    }


def all_ballots(vote: Vote) -> dict[str, tuple[int, ...]]:
    """Every ballot, token → option ids: the box with the waiting ones laid over
    it (a waiting change replaces the boxed ballot of its receipt)."""
    found = boxed(vote)
    waiting = latest_per_token([entry for _pk, entry in pending(vote)])
    found.update({token: entry.option_ids for token, entry in waiting.items()})
    return found


def token_is_known(vote: Vote, token: str) -> bool:
    return token in _boxed_tokens(vote) or any(
        entry.token == token for _pk, entry in pending(vote)
    )


def ballot_wait(
    *, vote: Vote, token: str, option_ids: Iterable[int], replace: bool = False
) -> None:
    """Seal a ballot into the waiting pool. A change first drops the waiting
    ballot of the same receipt, so the pool holds one entry per voter and a batch
    of k entries is k voters."""
    if replace:
        stale = [pk for pk, entry in pending(vote) if entry.token == token]
        if stale:
            SealedBallot.objects.filter(pk__in=stale).delete()
    SealedBallot.objects.create(
        vote=vote,
        sealed=seal(
            vote_id=vote.pk,
            option_order=option_order(vote),
            token=token,
            option_ids=option_ids,
        ),
    )


# No savepoint inside a caller's transaction (the close): the ballots are written
# under that transaction's own id, like every other batch.
@transaction.atomic(savepoint=False)
def ballot_box_fill(*, vote: Vote, final: bool = False) -> int:
    """Move the waiting ballots into the box once there are k of them (all of
    them when ``final``), in one transaction of its own, in random order, under
    new random ids. When a waiting ballot replaces one already in the box (and
    at the close), the whole box is rewritten, so no row that stays behind or
    dies marks whose ballot changed. Returns how many ballots went in."""
    if not final and SealedBallot.objects.filter(vote=vote).count() < BATCH:
        return 0
    # One filler at a time per vote; casting goes on meanwhile.
    list(Vote.objects.select_for_update().filter(pk=vote.pk).values_list("pk"))
    order = option_order(vote)
    rows = list(
        SealedBallot.objects.select_for_update()
        .filter(vote=vote)
        .values_list("id", "sealed")
    )
    entries = latest_per_token(
        [unseal(vote_id=vote.pk, option_order=order, sealed=s) for _pk, s in rows]
    )
    if not final and len(entries) < BATCH:
        return 0
    if final or entries.keys() & _boxed_tokens(vote):
        ballots = boxed(vote)
        Ballot.objects.filter(vote=vote).delete()
    else:
        ballots = {}
    ballots.update({token: entry.option_ids for token, entry in entries.items()})
    shuffled = list(ballots.items())
    random.SystemRandom().shuffle(shuffled)
    made = Ballot.objects.bulk_create(
        [Ballot(vote=vote, token=_stored(vote, token)) for token, _ in shuffled]
    )
    BallotChoice.objects.bulk_create(
        [
            BallotChoice(ballot=ballot, option_id=option_id)
            for ballot, (_token, option_ids) in zip(made, shuffled, strict=True)
            for option_id in option_ids
        ]
    )
    SealedBallot.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
    return len(entries)

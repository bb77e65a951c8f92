"""Writes: votes, ballots (online, paper, proxy) and finalising a closed vote.

The secret-ballot scheme is explained in ``deliberation.models.votes``.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from audit.services import audit_log
from deliberation import ballot_box
from deliberation.ballot_box import ballot_box_fill
from deliberation.models import (
    Ballot,
    BallotChoice,
    Electorate,
    Participation,
    Phase,
    QuorumRule,
    Topic,
    Vote,
    VoteKind,
    VoteOption,
)
from deliberation.page_cache import topic_changed
from deliberation.selectors import eligible_memberships, is_eligible_membership
from notifications.models import Kind
from notifications.services import notify
from villages.access import membership_for

YES_NO_OPTIONS = [("yes", "Yes"), ("no", "No"), ("abstain", "Abstain")]
LOCKED_AFTER_START = (
    "question",
    "kind",
    "max_choices",
    "electorate",
    "rule",
    "opens_at",
    "is_secret",
    "results_live",
)


def new_receipt() -> str:
    """100 random bits as 20 letters and digits, in groups of four."""
    raw = base64.b32encode(secrets.token_bytes(15)).decode()[:20]
    return "-".join(raw[i : i + 4] for i in range(0, 20, 4))


def normalise_receipt(text: str) -> str:
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if len(raw) != 20:
        return ""
    return "-".join(raw[i : i + 4] for i in range(0, 20, 4))


def ballot_token(vote: Vote, secret: str) -> str:
    return salted_hmac(
        "deliberation.ballot", f"{vote.pk}:{secret}", algorithm="sha256"
    ).hexdigest()


def _open_ballot_token(vote: Vote, user) -> str:
    return ballot_token(vote, f"open-ballot:{user.pk}")


def _check_options(vote: Vote, option_ids: Sequence) -> list[VoteOption]:
    try:
        wanted = {int(x) for x in option_ids}
    except (TypeError, ValueError):
        raise ValidationError(
            _("That is not an option of this vote."), code="unknown"
        ) from None
    options = [o for o in vote.options.all() if o.pk in wanted]
    if len(options) != len(wanted):
        raise ValidationError(_("That is not an option of this vote."), code="unknown")
    if not options:
        raise ValidationError(_("Choose an option."), code="empty")
    limit = vote.max_choices if vote.kind == VoteKind.MULTIPLE else 1
    if len(options) > limit:
        raise ValidationError(
            _("Choose at most %(max)d options.") % {"max": limit}, code="too_many"
        )
    return options


def _check_open(vote: Vote) -> None:
    now = timezone.now()
    if now < vote.opens_at:
        raise ValidationError(_("This vote has not opened yet."), code="not_open")
    if now >= vote.closes_at:
        raise ValidationError(_("This vote has closed."), code="closed")


def _check_rule_and_electorate(rule: str, electorate: str) -> None:
    # 村民代表会议: its quorum is two thirds of the representatives, so they and
    # only they vote in it; a villagers' meeting is never left to them alone.
    if rule == QuorumRule.CONSULTATION:
        return
    if (rule == QuorumRule.REPRESENTATIVES) != (
        electorate == Electorate.REPRESENTATIVES
    ):
        raise ValidationError(
            _(
                "A representatives' meeting is voted by the villagers' "
                "representatives, and a villagers' meeting never by them alone."
            ),
            code="rule_electorate",
        )


@transaction.atomic
def vote_create(
    *,
    topic: Topic,
    by,
    question: str,
    kind: str,
    electorate: str,
    rule: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    options: Sequence[str] = (),
    max_choices: int = 1,
    results_live: bool = False,
    is_secret: bool = True,
) -> Vote:
    topic_changed(topic.pk)
    if closes_at <= opens_at:
        raise ValidationError(_("A vote must close after it opens."))
    if kind not in VoteKind.values or electorate not in Electorate.values:
        raise ValidationError(_("Choose the kind of vote and who may vote."))
    if rule not in QuorumRule.values:
        raise ValidationError(_("Choose the rule the vote is held under."))
    _check_rule_and_electorate(rule, electorate)
    labels = [label.strip() for label in options if label and label.strip()]
    if kind == VoteKind.YES_NO:
        labels = []
    elif len(labels) < 2 or len(set(labels)) != len(labels):
        raise ValidationError(_("Give at least two different options."))
    if kind == VoteKind.MULTIPLE:
        if not 1 <= max_choices <= len(labels):
            raise ValidationError(
                _("The most choices must be between 1 and the number of options.")
            )
    else:
        max_choices = 1
    vote = Vote.objects.create(
        village=topic.village,
        topic=topic,
        question=question,
        kind=kind,
        max_choices=max_choices,
        electorate=electorate,
        rule=rule,
        opens_at=opens_at,
        closes_at=closes_at,
        results_live=results_live,
        is_secret=is_secret,
        created_by=by,
    )
    if kind == VoteKind.YES_NO:
        rows = [
            VoteOption(vote=vote, code=code, label=label, position=i)
            for i, (code, label) in enumerate(YES_NO_OPTIONS)
        ]
    else:
        rows = [
            VoteOption(vote=vote, label=label, position=i)
            for i, label in enumerate(labels)
        ]
    VoteOption.objects.bulk_create(rows)
    audit_log(
        actor=by,
        action="deliberation.vote_create",
        village=topic.village,
        target=vote,
        after={
            "kind": kind,
            "electorate": electorate,
            "rule": rule,
            "opens_at": opens_at,
            "closes_at": closes_at,
            "secret": is_secret,
        },
    )
    if topic.phase == Phase.COLLECTING:
        Topic.objects.filter(pk=topic.pk).update(phase=Phase.VOTING)
    return vote


@transaction.atomic
def vote_update(*, vote: Vote, by, **changes) -> Vote:
    """Settings lock once voting starts; only the closing time may then move later."""
    topic_changed(vote.topic_id)
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if vote.has_started():
        locked = [k for k in changes if k in LOCKED_AFTER_START]
        moves_close_earlier = (
            "closes_at" in changes and changes["closes_at"] < vote.closes_at
        )
        if locked or moves_close_earlier:
            raise ValidationError(
                _("Voting has started: its settings can no longer change."),
                code="locked",
            )
    before = {k: getattr(vote, k) for k in changes}
    for key, value in changes.items():
        setattr(vote, key, value)
    if vote.closes_at <= vote.opens_at:
        raise ValidationError(_("A vote must close after it opens."))
    _check_rule_and_electorate(vote.rule, vote.electorate)
    vote.save(update_fields=list(changes))
    audit_log(
        actor=by,
        action="deliberation.vote_update",
        village=vote.village,
        target=vote,
        before=before,
        after=changes,
    )
    return vote


def _write_choices(ballot: Ballot, options: list[VoteOption]) -> None:
    BallotChoice.objects.bulk_create(
        [BallotChoice(ballot=ballot, option=option) for option in options]
    )


def ballot_cast(*, vote: Vote, voter, option_ids: Sequence, receipt: str = "") -> str:
    """Cast or replace a ballot. Returns the receipt (secret votes) or "".

    A secret ballot waits sealed; the box is filled in a transaction of its own
    once k ballots wait (see the design note of ``deliberation.models.votes``)."""
    receipt = _ballot_cast(
        vote=vote, voter=voter, option_ids=option_ids, receipt=receipt
    )
    if vote.is_secret:
        ballot_box_fill(vote=vote)
    return receipt


def _already_voted(per_household: bool) -> ValidationError:
    if per_household:
        message = _(
            "Your household has already voted. To change the ballot, enter the receipt code."
        )
    else:
        message = _(
            "You have already voted. To change your ballot, enter your receipt code."
        )
    return ValidationError(message, code="already_voted")


def _participate(*, vote: Vote, voter, membership, **paper) -> Participation:
    per_household = vote.electorate == Electorate.HOUSEHOLDS
    try:
        with transaction.atomic():
            return Participation.objects.create(
                vote=vote,
                voter=voter,
                household=membership.household,
                per_household=per_household,
                # 户的代表: kept as it was when the person voted.
                household_rep=bool(
                    membership.is_household_rep and membership.household_id
                ),
                **paper,
            )
    except IntegrityError:
        raise _already_voted(per_household) from None


@transaction.atomic
def _ballot_cast(*, vote: Vote, voter, option_ids: Sequence, receipt: str) -> str:
    topic_changed(vote.topic_id)
    _check_open(vote)
    membership = membership_for(voter, vote.village)
    if not is_eligible_membership(membership, vote):
        raise ValidationError(
            _("You are not on the roll for this vote."), code="not_eligible"
        )
    options = _check_options(vote, option_ids)
    if not vote.is_secret:
        return _open_ballot_cast(
            vote=vote, voter=voter, membership=membership, options=options
        )
    receipt = normalise_receipt(receipt)
    if receipt:
        token = ballot_token(vote, receipt)
        if ballot_box.token_is_known(vote, token):
            if not Participation.objects.filter(vote=vote, voter=voter).exists():
                raise ValidationError(
                    _("That receipt is not yours."), code="bad_receipt"
                )
            ballot_box.ballot_wait(
                vote=vote,
                token=token,
                option_ids=[o.pk for o in options],
                replace=True,
            )
            return receipt
    _participate(vote=vote, voter=voter, membership=membership)
    receipt = new_receipt()
    ballot_box.ballot_wait(
        vote=vote,
        token=ballot_token(vote, receipt),
        option_ids=[o.pk for o in options],
    )
    return receipt


def _open_ballot_cast(*, vote: Vote, voter, membership, options) -> str:
    """记名投票: not secret, so the ballot goes straight into the box."""
    token = _open_ballot_token(vote, voter)
    existing = Ballot.objects.select_for_update().filter(vote=vote, token=token).first()
    if existing is not None:
        BallotChoice.objects.filter(ballot=existing).delete()
        _write_choices(existing, options)
        return ""
    _participate(vote=vote, voter=voter, membership=membership)
    _write_choices(Ballot.objects.create(vote=vote, token=token), options)
    return ""


def paper_ballot_record(
    *, vote: Vote, voter, by, option_ids: Sequence, consent_note: str
) -> Participation:
    """A grid worker records the ballot of a resident without a phone."""
    participation = _paper_ballot_record(
        vote=vote, voter=voter, by=by, option_ids=option_ids, consent_note=consent_note
    )
    if vote.is_secret:
        ballot_box_fill(vote=vote)
    return participation


@transaction.atomic
def _paper_ballot_record(
    *, vote: Vote, voter, by, option_ids: Sequence, consent_note: str
) -> Participation:
    topic_changed(vote.topic_id)
    _check_open(vote)
    consent_note = (consent_note or "").strip()
    if not consent_note:
        raise ValidationError(
            _("Note how the resident gave consent."), code="no_consent"
        )
    if len(consent_note) > 300:
        raise ValidationError(_("Keep the consent note under 300 characters."))
    worker = membership_for(by, vote.village)
    if not (worker and worker.is_grid_worker):
        raise ValidationError(
            _("Only a grid worker of this village records paper ballots.")
        )
    membership = (
        eligible_memberships(vote)
        .filter(user=voter)
        .select_related("household")
        .first()
    )
    if membership is None:
        raise ValidationError(
            _("This person is not on the roll for this vote."), code="not_eligible"
        )
    options = _check_options(vote, option_ids)
    try:
        participation = _participate(
            vote=vote,
            voter=voter,
            membership=membership,
            is_paper=True,
            recorded_by=by,
            consent_note=consent_note,
        )
    except ValidationError:
        raise ValidationError(
            _("This person (or household) has already voted."), code="already_voted"
        ) from None
    # Nobody holds this ballot's receipt: a paper ballot is final. The ballot
    # itself is not marked as paper: in a small batch that mark would single it
    # out (the participation says how many were on paper).
    token = ballot_token(vote, secrets.token_hex(32))
    if vote.is_secret:
        ballot_box.ballot_wait(
            vote=vote, token=token, option_ids=[o.pk for o in options]
        )
    else:
        _write_choices(Ballot.objects.create(vote=vote, token=token), options)
    audit_log(
        actor=by,
        action="deliberation.paper_ballot",
        village=vote.village,
        target=vote,
        after={"for": str(voter)},
        note=consent_note,
    )
    return participation


@transaction.atomic
def vote_finalize(*, vote: Vote) -> bool:
    """After closing: freeze the electorate, put the ballots still waiting into the
    box and rewrite the whole box in random order in one transaction, so every
    ballot carries the same transaction and a random place: from then on a
    ballot hides among all of them. Returns False if there was nothing to do."""
    topic_changed(vote.topic_id)
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if vote.finalized_at is not None or not vote.is_closed():
        return False
    from deliberation.selectors import vote_outcome

    vote.electorate_size = vote_outcome(vote).electorate
    ballot_box_fill(vote=vote, final=True)
    vote.finalized_at = timezone.now()
    vote.save(update_fields=["electorate_size", "finalized_at"])
    return True


def votes_finalize_due() -> int:
    due = Vote.objects.filter(finalized_at__isnull=True, closes_at__lte=timezone.now())
    return sum(vote_finalize(vote=vote) for vote in due)


@transaction.atomic
def votes_notify_closing(*, within: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Tell those who have not voted yet that a vote closes soon (once per vote)."""
    now = timezone.now()
    votes = Vote.objects.select_for_update().filter(
        closing_notified_at__isnull=True,
        opens_at__lte=now,
        closes_at__gt=now,
        closes_at__lte=now + within,
    )
    sent = 0
    for vote in votes:
        voted = Participation.objects.filter(vote=vote).values("voter_id")
        people = [
            m.user
            for m in eligible_memberships(vote)
            .exclude(user_id__in=voted)
            .select_related("user")
        ]
        notify(
            recipients=people,
            kind=Kind.DELIBERATION,
            title=_("Vote closes soon: %(question)s") % {"question": vote.question},
            url=vote.get_absolute_url(),
            village=vote.village,
        )
        vote.closing_notified_at = now
        vote.save(update_fields=["closing_notified_at"])
        sent += 1
    return sent

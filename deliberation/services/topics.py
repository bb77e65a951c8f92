"""Writes: topics, proposals and co-signing, phases, decisions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from deliberation.models import CoSignature, Phase, PhaseDate, Topic
from deliberation.page_cache import topic_changed
from deliberation.selectors import (
    overdue_proposals_q,
    participation_refusal,
    settings_for,
    valid_cosign_count,
)
from notifications.models import Kind
from notifications.services import notify
from villages.access import membership_for
from villages.models import Membership, Village


def _verified_resident(user, village) -> Membership:
    membership = membership_for(user, village)
    if not (membership and membership.is_resident and membership.verified_at):
        raise ValidationError(
            _("Only verified residents of this village can do this."),
            code="not_verified",
        )
    return membership


def _may_take_part(user, village, now: dt.datetime | None = None) -> None:
    refusal = participation_refusal(user=user, village=village, now=now)
    if refusal is not None:
        raise refusal


def _residents(village):
    return [
        m.user
        for m in Membership.objects.active()
        .filter(village=village, verified_at__isnull=False)
        .select_related("user")
    ]


def _committee(village):
    return [
        m.user
        for m in Membership.objects.active()
        .filter(village=village, is_committee=True)
        .select_related("user")
    ]


def _committee_and_monitors(village):
    """The committee, and the supervision committee that watches it (村务监督委员会)."""
    return [
        m.user
        for m in Membership.objects.active()
        .filter(Q(is_committee=True) | Q(is_monitor=True), village=village)
        .select_related("user")
    ]


@transaction.atomic
def topic_create(
    *,
    village: Village,
    by,
    title: str,
    description: str,
    phase_dates: dict[str, tuple[dt.date | None, dt.date | None]] | None = None,
) -> Topic:
    """The committee opens a topic for opinions; residents hear of it in the digest."""
    dates = dict(phase_dates or {})
    dates.setdefault(Phase.COLLECTING, (timezone.localdate(), None))
    for start, end in dates.values():
        if start and end and end < start:
            raise ValidationError(_("The end is before the start."))
    topic = Topic.objects.create(
        village=village,
        title=title,
        description=description,
        origin=Topic.Origin.COMMITTEE,
        phase=Phase.COLLECTING,
        created_by=by,
    )
    PhaseDate.objects.bulk_create(
        [
            PhaseDate(topic=topic, phase=phase, starts_on=start, ends_on=end)
            for phase, (start, end) in dates.items()
        ]
    )
    audit_log(
        actor=by, action="deliberation.topic_create", village=village, target=topic
    )
    notify(
        recipients=_residents(village),
        kind=Kind.DELIBERATION,
        title=_("New topic: %(title)s") % {"title": title},
        url=topic.get_absolute_url(),
        village=village,
    )
    return topic


@transaction.atomic
def topic_propose(*, village: Village, by, title: str, description: str) -> Topic:
    _may_take_part(by, village)
    return Topic.objects.create(
        village=village,
        title=title,
        description=description,
        origin=Topic.Origin.RESIDENTS,
        phase=Phase.PROPOSED,
        created_by=by,
    )


@transaction.atomic
def topic_cosign(*, topic: Topic, by) -> int:
    """联名. Returns the number of valid co-signatures; the Nth starts the
    committee's clock, which then runs even if signatures lapse later (or the
    committee, which verifies residents, could stop it by un-verifying one)."""
    now = timezone.now()
    topic_changed(topic.pk)
    _may_take_part(by, topic.village, now)
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.phase != Phase.PROPOSED:
        raise ValidationError(_("This proposal no longer collects co-signatures."))
    if topic.created_by_id == by.pk:
        raise ValidationError(_("You proposed this topic; others co-sign it."))
    try:
        with transaction.atomic():
            # The signing time decides whether the signer was an adult then.
            CoSignature.objects.create(topic=topic, user=by, created_at=now)
    except IntegrityError:
        raise ValidationError(
            _("You have already co-signed this proposal."), code="already_cosigned"
        ) from None
    count = valid_cosign_count(topic)
    rules = settings_for(topic.village)
    if count >= rules.cosign_threshold and topic.answer_due is None:
        topic.answer_due = now + dt.timedelta(days=rules.answer_days)
        topic.save(update_fields=["answer_due"])
        notify(
            recipients=_committee(topic.village),
            kind=Kind.DELIBERATION,
            title=_("A proposal needs your answer: %(title)s") % {"title": topic.title},
            url=topic.get_absolute_url(),
            village=topic.village,
        )
    return count


def proposals_notify_overdue(*, now: dt.datetime | None = None) -> int:
    """Tell the committee and the supervision committee that a co-signed
    proposal's answer is overdue: once per proposal. Run by ``deliberation_tick``.

    Once whatever the number of runs, even two at the same instant: each proposal
    is claimed by a conditional UPDATE (... WHERE overdue_notified_at IS NULL). On
    PostgreSQL the second of two concurrent updates waits for the first to commit,
    re-reads the row and matches nothing. The claim and the messages commit
    together, so a failed run leaves the proposal to the next one. Returns how
    many proposals this run told of.
    """
    now = now or timezone.now()
    pending = list(
        Topic.objects.filter(
            overdue_proposals_q(now), overdue_notified_at__isnull=True
        ).values_list("pk", flat=True)
    )
    told = 0
    for pk in pending:
        with transaction.atomic():
            claimed = Topic.objects.filter(
                overdue_proposals_q(now), pk=pk, overdue_notified_at__isnull=True
            ).update(overdue_notified_at=now)
            if not claimed:
                continue
            topic = Topic.objects.select_related("village").get(pk=pk)
            topic_changed(pk)
            due = timezone.localtime(topic.answer_due)
            notify(
                recipients=_committee_and_monitors(topic.village),
                kind=Kind.DELIBERATION,
                title=_("A proposal's answer is overdue: %(title)s")
                % {"title": topic.title},
                body=_("The committee was to answer by %(due)s.")
                % {"due": f"{due:%Y-%m-%d %H:%M}"},
                url=topic.get_absolute_url(),
                village=topic.village,
            )
        told += 1
    return told


@transaction.atomic
def topic_answer(*, topic: Topic, by, accept: bool, answer: str = "") -> Topic:
    """The committee puts a proposal on the agenda, or answers publicly why not."""
    topic_changed(topic.pk)
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.phase != Phase.PROPOSED:
        raise ValidationError(_("This proposal has already been answered."))
    answer = answer.strip()
    if not accept and not answer:
        raise ValidationError(_("Say why the proposal is not taken up."))
    before = {"phase": topic.phase}
    topic.phase = Phase.COLLECTING if accept else Phase.DECLINED
    topic.answer = answer
    topic.answered_at = timezone.now()
    topic.save(update_fields=["phase", "answer", "answered_at"])
    if accept:
        PhaseDate.objects.update_or_create(
            topic=topic,
            phase=Phase.COLLECTING,
            defaults={"starts_on": timezone.localdate()},
        )
    audit_log(
        actor=by,
        action="deliberation.proposal_answer",
        village=topic.village,
        target=topic,
        before=before,
        after={"phase": topic.phase},
        note=answer,
    )
    return topic


@transaction.atomic
def topic_set_phase(*, topic: Topic, by, phase: str, note: str = "") -> Topic:
    topic_changed(topic.pk)
    if phase not in Phase.values or phase in (Phase.PROPOSED, Phase.DECLINED):
        raise ValidationError(_("Choose a phase of the timeline."))
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.phase in (Phase.PROPOSED, Phase.DECLINED):
        raise ValidationError(_("Answer the proposal first."))
    before = {"phase": topic.phase}
    today = timezone.localdate()
    PhaseDate.objects.filter(
        topic=topic, phase=topic.phase, ends_on__isnull=True
    ).update(ends_on=today)
    dates, _created = PhaseDate.objects.get_or_create(
        topic=topic, phase=phase, defaults={"starts_on": today}
    )
    if dates.starts_on is None or (dates.ends_on and dates.ends_on < today):
        PhaseDate.objects.filter(pk=dates.pk).update(starts_on=today, ends_on=None)
    topic.phase = phase
    topic.save(update_fields=["phase"])
    audit_log(
        actor=by,
        action="deliberation.phase_change",
        village=topic.village,
        target=topic,
        before=before,
        after={"phase": phase},
        note=note,
    )
    return topic


@transaction.atomic
def topic_set_dates(
    *, topic: Topic, by, dates: dict[str, tuple[dt.date | None, dt.date | None]]
) -> None:
    """The committee plans (or corrects) the dates of the timeline's steps."""
    topic_changed(topic.pk)
    before = {
        d.phase: [d.starts_on, d.ends_on] for d in PhaseDate.objects.filter(topic=topic)
    }
    for phase, (start, end) in dates.items():
        if start and end and end < start:
            raise ValidationError(_("The end is before the start."))
        if start is None and end is None:
            PhaseDate.objects.filter(topic=topic, phase=phase).delete()
            continue
        PhaseDate.objects.update_or_create(
            topic=topic, phase=phase, defaults={"starts_on": start, "ends_on": end}
        )
    audit_log(
        actor=by,
        action="deliberation.dates_change",
        village=topic.village,
        target=topic,
        before=before,
        after={p: list(v) for p, v in dates.items() if any(v)},
    )


@transaction.atomic
def topic_publish_decision(*, topic: Topic, by, decision: str) -> Topic:
    topic_changed(topic.pk)
    decision = decision.strip()
    if not decision:
        raise ValidationError(_("Write the decision."))
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    before = {"decision": topic.decision}
    topic.decision = decision
    topic.decision_published_at = timezone.now()
    topic.save(update_fields=["decision", "decision_published_at"])
    audit_log(
        actor=by,
        action="deliberation.decision_publish",
        village=topic.village,
        target=topic,
        before=before,
        after={"decision": decision},
    )
    if topic.phase in (Phase.COLLECTING, Phase.VOTING):
        topic_set_phase(topic=topic, by=by, phase=Phase.DECIDED)
        topic.refresh_from_db()
    return topic

"""The red/black list (红黑榜): draft → households told, objections → review of
every black line by a person → publish a frozen snapshot with the chain head.
And credit repair (信用修复) for black-listed households."""

from __future__ import annotations

import calendar
import datetime as dt
import math

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from notifications.models import Kind
from notifications.services import notify
from points import seals
from points.models import (
    Entry,
    LedgerHead,
    ListLine,
    RankingList,
    RepairTask,
    Transaction,
)
from points.models.catalogue import Privacy
from points.selectors import period_scores
from points.services.entries import entries_finalize_due, settings_for
from points.services.errors import PointsError
from points.services.ledger import ledger_seal
from villages.access import membership_for
from villages.models import Household, Membership, Relation


def period_bounds(
    period: str, year: int, number: int | None
) -> tuple[dt.date, dt.date]:
    if period == RankingList.Period.YEAR:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if period == RankingList.Period.QUARTER:
        if not number or not 1 <= number <= 4:
            raise PointsError(_("Choose a quarter from 1 to 4."))
        first = 3 * (number - 1) + 1
        last = first + 2
        return dt.date(year, first, 1), dt.date(
            year, last, calendar.monthrange(year, last)[1]
        )
    if not number or not 1 <= number <= 12:
        raise PointsError(_("Choose the month."))
    return dt.date(year, number, 1), dt.date(
        year, number, calendar.monthrange(year, number)[1]
    )


def _committee(by, village):
    membership = membership_for(by, village)
    if membership is None or not membership.is_committee:
        raise PointsError(_("Only the committee manages the list."))
    return membership


def ranking_for_period(village, starts_on: dt.date, ends_on: dt.date) -> list[tuple]:
    """(household id, number, score) for every household, best first."""
    scores = period_scores(village, starts_on, ends_on)
    households = Household.objects.filter(village=village).values_list("pk", "number")
    rows = [(pk, number, scores.get(pk, 0)) for pk, number in households]
    rows.sort(key=lambda r: (-r[2], r[1]))
    return rows


@transaction.atomic
def list_draft(
    *, village, period: str, starts_on: dt.date, ends_on: dt.date, by
) -> RankingList:
    _committee(by, village)
    if ends_on >= timezone.localdate():
        raise PointsError(_("A list can be drawn up only after its period has ended."))
    if RankingList.objects.filter(
        village=village,
        status=RankingList.Status.PUBLISHED,
        starts_on=starts_on,
        ends_on=ends_on,
    ).exists():
        raise PointsError(_("The list of this period is already published."))
    entries_finalize_due(village=village)
    # Locked while the scores are read, so that they are the scores of exactly
    # the chain up to the head the list records (ledger_verify re-derives them).
    head = LedgerHead.objects.select_for_update().filter(village=village).first()
    rows = ranking_for_period(village, starts_on, ends_on)
    village_settings = settings_for(village)
    n = len(rows)
    red_n = math.ceil(n * village_settings.red_percent / 100)
    black_n = math.ceil(n * village_settings.black_percent / 100)
    vetoes: dict[int, list[str]] = {}
    for household_id, name in Entry.objects.filter(
        village=village,
        status=Entry.Status.FINAL,
        item__is_veto=True,
        occurred_on__range=(starts_on, ends_on),
    ).values_list("household_id", "item__name"):
        vetoes.setdefault(household_id, []).append(name)
    ranking = RankingList.objects.create(
        village=village,
        period=period,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
        chain_seq=head.seq if head else 0,
        chain_hash=head.hash if head else "0" * 64,
    )
    lines = []
    bottom = (
        {pk for pk, _n, score in rows[n - black_n :] if score < 0} if black_n else set()
    )
    for rank, (household_id, _number, score) in enumerate(rows, start=1):
        if household_id in vetoes:
            lines.append(
                ListLine(
                    ranking=ranking,
                    household_id=household_id,
                    rank=rank,
                    score=score,
                    color=ListLine.Color.BLACK,
                    veto=True,
                    reasons="；".join(vetoes[household_id]),
                )
            )
        elif household_id in bottom:
            lines.append(
                ListLine(
                    ranking=ranking,
                    household_id=household_id,
                    rank=rank,
                    score=score,
                    color=ListLine.Color.BLACK,
                    reasons=_("Among the lowest scores of the period"),
                )
            )
        elif rank <= red_n and score > 0:
            lines.append(
                ListLine(
                    ranking=ranking,
                    household_id=household_id,
                    rank=rank,
                    score=score,
                    color=ListLine.Color.RED,
                )
            )
    ListLine.objects.bulk_create(lines)
    audit_log(
        actor=by,
        action="points.list_draft",
        village=village,
        target=ranking,
        after={
            "red": sum(1 for x in lines if x.color == "red"),
            "black": sum(1 for x in lines if x.color == "black"),
        },
    )
    return ranking


def _lock_list(ranking: RankingList) -> RankingList:
    return (
        RankingList.objects.select_for_update()
        .select_related("village")
        .get(pk=ranking.pk)
    )


@transaction.atomic
def list_notify(*, ranking: RankingList, by) -> RankingList:
    """Tell each black-listed household why, how to object, and how to get off."""
    ranking = _lock_list(ranking)
    _committee(by, ranking.village)
    if ranking.status != RankingList.Status.DRAFT:
        raise PointsError(_("This list is past the draft stage."))
    village_settings = settings_for(ranking.village)
    ranking.status = RankingList.Status.OBJECTION
    ranking.objection_ends_at = timezone.now() + dt.timedelta(
        days=village_settings.objection_days
    )
    ranking.save()
    url = reverse(
        "points:list", kwargs={"village": ranking.village.slug, "pk": ranking.pk}
    )
    for line in ranking.lines.filter(color=ListLine.Color.BLACK).select_related(
        "household"
    ):
        users = [
            m.user
            for m in Membership.objects.active()
            .filter(household=line.household)
            .select_related("user")
        ]
        notify(
            recipients=users,
            kind=Kind.POINTS,
            title=_("Your household is proposed for the black list"),
            body=_(
                "Reason: %(reasons)s. You may object until %(date)s. The household "
                "comes off the list once the committee verifies its credit repair tasks."
            )
            % {
                "reasons": line.reasons,
                "date": timezone.localtime(ranking.objection_ends_at).strftime(
                    "%Y-%m-%d %H:%M"
                ),
            },
            url=url,
            village=ranking.village,
        )
    audit_log(
        actor=by, action="points.list_notify", village=ranking.village, target=ranking
    )
    return ranking


@transaction.atomic
def line_object(*, line: ListLine, by, text: str) -> ListLine:
    line = (
        ListLine.objects.select_for_update()
        .select_related("ranking__village")
        .get(pk=line.pk)
    )
    ranking = line.ranking
    membership = membership_for(by, ranking.village)
    if membership is None or membership.household_id != line.household_id:
        raise PointsError(_("Only the household itself can object."))
    if not text.strip():
        raise PointsError(_("Say why you object."))
    if (
        ranking.status != RankingList.Status.OBJECTION
        or timezone.now() >= ranking.objection_ends_at
    ):
        raise PointsError(_("Objections to this list are closed."))
    line.objection = text.strip()
    line.objection_at = timezone.now()
    line.save(update_fields=["objection", "objection_at"])
    return line


@transaction.atomic
def line_review(*, line: ListLine, by, keep: bool, note: str) -> ListLine:
    """A person decides every black-list line (PIPL art. 24: no automatic consequence)."""
    line = (
        ListLine.objects.select_for_update()
        .select_related("ranking__village")
        .get(pk=line.pk)
    )
    membership = _committee(by, line.ranking.village)
    if membership.household_id == line.household_id:
        raise PointsError(_("You cannot review your own household's line."))
    if line.ranking.status == RankingList.Status.PUBLISHED:
        raise PointsError(_("A published list cannot be changed."))
    if not note.strip():
        raise PointsError(_("Give a reason for the decision."))
    line.review = ListLine.Review.CONFIRMED if keep else ListLine.Review.REMOVED
    line.reviewed_by = by
    line.review_note = note.strip()
    line.save(update_fields=["review", "reviewed_by", "review_note"])
    audit_log(
        actor=by,
        action="points.line_review",
        village=line.ranking.village,
        target=line,
        after={"review": line.review},
        note=line.review_note,
    )
    return line


def _public_pages_changed() -> None:
    """The village home page shows the red list: let its cache know, after commit."""
    try:
        from cms_home.cache import public_pages_changed
    except ImportError:
        return
    transaction.on_commit(public_pages_changed)


def public_name(*, privacy: str, number: str, head_name: str) -> str:
    if privacy == Privacy.FULL and head_name:
        return head_name
    if privacy == Privacy.MASKED and head_name:
        return head_name[0] + "**"
    return number


def _snapshot_hash(ranking: RankingList, lines: list[ListLine]) -> str:
    return seals.list_snapshot(
        ranking=seals.as_row(ranking, seals.RANKING_FIELDS),
        lines=[seals.as_row(x, seals.LINE_FIELDS) for x in lines],
    )


@transaction.atomic
def list_publish(
    *, ranking: RankingList, by, now: dt.datetime | None = None
) -> RankingList:
    now = now or timezone.now()
    ranking = _lock_list(ranking)
    _committee(by, ranking.village)
    if ranking.status == RankingList.Status.PUBLISHED:
        raise PointsError(_("This list is already published."))
    lines = list(ranking.lines.select_related("household"))
    has_black = any(x.color == ListLine.Color.BLACK for x in lines)
    if has_black and ranking.status != RankingList.Status.OBJECTION:
        raise PointsError(_("Tell the black-listed households first."))
    if has_black and now < ranking.objection_ends_at:
        raise PointsError(_("The objection period has not ended yet."))
    if any(
        x.color == ListLine.Color.BLACK and x.review == ListLine.Review.PENDING
        for x in lines
    ):
        raise PointsError(_("Every black-list line needs a person's review first."))
    village_settings = settings_for(ranking.village)
    heads = dict(
        Membership.objects.active()
        .filter(household__in=[x.household_id for x in lines], relation=Relation.HEAD)
        .values_list("household_id", "user__name")
    )
    for line in lines:
        privacy = (
            village_settings.red_privacy
            if line.color == ListLine.Color.RED
            else village_settings.black_privacy
        )
        line.public_name = public_name(
            privacy=privacy,
            number=line.household.number,
            head_name=heads.get(line.household_id, ""),
        )
        if line.color == ListLine.Color.RED and line.review == ListLine.Review.PENDING:
            line.review = ListLine.Review.CONFIRMED
            line.reviewed_by = by
    ListLine.objects.bulk_update(lines, ["public_name", "review", "reviewed_by"])
    ranking.status = RankingList.Status.PUBLISHED
    ranking.published_by = by
    ranking.published_at = now
    ranking.black_shown_until = timezone.localdate(now) + dt.timedelta(
        days=village_settings.black_display_days
    )
    ranking.snapshot_hash = _snapshot_hash(ranking, lines)
    ranking.save()
    # The snapshot goes into the chain: what the list says is then as tamper-evident
    # as the points it was computed from.
    ledger_seal(
        village=ranking.village,
        kind=Transaction.Kind.LIST,
        key=f"list:{ranking.pk}",
        payload_hash=ranking.snapshot_hash,
        by=by,
        memo=str(ranking),
    )
    _public_pages_changed()
    audit_log(
        actor=by,
        action="points.list_publish",
        village=ranking.village,
        target=ranking,
        after={
            "chain_seq": ranking.chain_seq,
            "chain_hash": ranking.chain_hash,
            "snapshot": ranking.snapshot_hash,
        },
    )
    return ranking


@transaction.atomic
def line_consent(*, line: ListLine, by, consent: bool) -> ListLine:
    """Separate consent (PIPL art. 23) to share 信用户 status with a bank or township."""
    membership = membership_for(by, line.ranking.village)
    if membership is None or not (
        membership.household_id == line.household_id and membership.is_household_rep
    ):
        raise PointsError(_("Only the household representative can decide this."))
    line.consent_to_share = consent
    line.save(update_fields=["consent_to_share"])
    return line


@transaction.atomic
def repair_task_add(
    *, line: ListLine, by, description: str, hours: int | None
) -> RepairTask:
    line = ListLine.objects.select_related("ranking__village").get(pk=line.pk)
    _committee(by, line.ranking.village)
    # A line the review took off is not on the black list: nothing to repair.
    if line.color != ListLine.Color.BLACK or line.review == ListLine.Review.REMOVED:
        raise PointsError(_("Repair tasks are for black-list lines."))
    if not description.strip():
        raise PointsError(_("Describe the task."))
    return RepairTask.objects.create(
        line=line, description=description.strip(), hours=hours, set_by=by
    )


@transaction.atomic
def repair_task_verify(*, task: RepairTask, by) -> RepairTask:
    task = (
        RepairTask.objects.select_for_update()
        .select_related("line__ranking__village")
        .get(pk=task.pk)
    )
    membership = _committee(by, task.line.ranking.village)
    if membership.household_id == task.line.household_id:
        raise PointsError(_("You cannot verify your own household's task."))
    if task.verified_at:
        raise PointsError(_("This task is already verified."))
    task.verified_by = by
    task.verified_at = timezone.now()
    task.save(update_fields=["verified_by", "verified_at"])
    audit_log(
        actor=by,
        action="points.repair_verify",
        village=task.line.ranking.village,
        target=task,
    )
    return task

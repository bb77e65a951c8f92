"""Writes for entries: record, review, appeal, finalise after 公示, correct."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from notifications.models import Kind
from notifications.services import notify
from points.models import (
    Appeal,
    Entry,
    EntryPhoto,
    EntryStep,
    PointsSettings,
    RankingList,
)
from points.services.errors import IdempotencyConflict, PointsError
from points.services.ledger import ledger_record_deed, ledger_reverse
from villages.access import membership_for
from villages.models import Membership

CLOSED_FOR_ENTRIES = (Entry.Status.REJECTED, Entry.Status.OVERTURNED)


def settings_for(village) -> PointsSettings:
    return PointsSettings.objects.get_or_create(village=village)[0]


@transaction.atomic
def points_settings_save(*, form, by, before: dict) -> PointsSettings:
    """Save the village's points settings from a valid form, and log the change."""
    saved = form.save()
    audit_log(
        actor=by,
        action="points.settings_save",
        village=saved.village,
        target=saved,
        before=before,
        after={k: form.cleaned_data[k] for k in form.changed_data},
    )
    return saved


def _household_users(household):
    return [
        m.user
        for m in Membership.objects.active()
        .filter(household=household)
        .select_related("user")
    ]


def _tell_household(entry: Entry, title: str, body: str = "") -> None:
    notify(
        recipients=_household_users(entry.household),
        kind=Kind.POINTS,
        title=title,
        body=body,
        url=reverse(
            "points:household",
            kwargs={"village": entry.village.slug, "number": entry.household.number},
        ),
        village=entry.village,
    )


def _step(
    entry: Entry, kind: str, *, by, at: dt.datetime | None = None, reason: str = ""
) -> EntryStep:
    """Append a step to the entry's history and set the status it leads to."""
    step = EntryStep.objects.create(
        entry=entry, kind=kind, by=by, at=at or timezone.now(), reason=reason
    )
    entry.status = EntryStep.STATUS_AFTER[kind]
    return step


def period_closed(village, on: dt.date) -> bool:
    """A period is closed once a list covering it is published."""
    return RankingList.objects.filter(
        village=village,
        status=RankingList.Status.PUBLISHED,
        starts_on__lte=on,
        ends_on__gte=on,
    ).exists()


def _may_record_for(by, village, household) -> bool:
    membership = membership_for(by, village)
    if membership is None:
        return False
    if membership.is_committee:
        return True
    if membership.is_grid_worker and membership.grid_id:
        return household.grid_id == membership.grid_id
    # 申报: a household representative claims for their own household.
    return membership.is_household_rep and membership.household_id == household.pk


@transaction.atomic
def entry_record(
    *,
    village,
    household,
    item,
    points: int | None,
    occurred_on: dt.date,
    note: str,
    by,
    key: str,
    photos: list | None = None,
) -> Entry:
    """Propose an entry for a household; it waits for the committee's review.
    ``photos`` are already-checked image files (see ``points.images``)."""
    photos = photos or []
    if points is None:
        points = item.points
    if not key:
        raise PointsError(_("A request key is needed."))
    existing = Entry.objects.filter(village=village, idempotency_key=key).first()
    if existing is not None:
        same = (
            existing.household_id == household.pk
            and existing.item_id == item.pk
            and existing.points == points
            and existing.occurred_on == occurred_on
            and existing.note == note
        )
        if not same:
            raise IdempotencyConflict(
                _("This request key was already used for a different request.")
            )
        return existing
    if household.village_id != village.pk:
        raise PointsError(_("This household is not in this village."))
    if not _may_record_for(by, village, household):
        raise PointsError(_("You may not record entries for this household."))
    if item.rulebook.village_id != village.pk:
        raise PointsError(_("This item is not in this village's rules."))
    if occurred_on > timezone.localdate():
        raise PointsError(_("The date cannot be in the future."))
    if item.rulebook.year != occurred_on.year:
        raise PointsError(
            _("The %(year)s rules do not apply to a deed on %(date)s.")
            % {"year": item.rulebook.year, "date": occurred_on.isoformat()}
        )
    if period_closed(village, occurred_on):
        raise PointsError(
            _("The period of %(date)s is closed: its list is published.")
            % {"date": occurred_on.isoformat()}
        )
    if (
        points == 0
        or (points > 0) != (item.points > 0)
        or abs(points) > abs(item.points)
    ):
        raise PointsError(
            _("Points for this item must be between %(low)s and %(high)s.")
            % {
                "low": min(item.points, 1 if item.points > 0 else -1),
                "high": max(item.points, 1 if item.points > 0 else -1),
            }
        )
    if item.evidence_required and not photos:
        raise PointsError(_("This item needs a photo as evidence."))
    if item.cap_per_year:
        used = (
            Entry.objects.filter(
                household=household, item=item, occurred_on__year=occurred_on.year
            )
            .exclude(status__in=[*CLOSED_FOR_ENTRIES, Entry.Status.REVERSED])
            .count()
        )
        if used >= item.cap_per_year:
            raise PointsError(
                _("This item counts at most %(cap)s times a year for a household.")
                % {"cap": item.cap_per_year}
            )
    entry = Entry.objects.create(
        village=village,
        household=household,
        item=item,
        points=points,
        occurred_on=occurred_on,
        note=note,
        recorded_by=by,
        idempotency_key=key,
    )
    for photo in photos:
        EntryPhoto.objects.create(
            entry=entry, image=photo.file, width=photo.width, height=photo.height
        )
    _step(entry, EntryStep.Kind.RECORDED, by=by, at=entry.recorded_at)
    audit_log(
        actor=by,
        action="points.entry_record",
        village=village,
        target=entry,
        after={"household": household.number, "item": item.code, "points": points},
    )
    return entry


def _lock_entry(entry: Entry) -> Entry:
    return (
        Entry.objects.select_for_update()
        .select_related("village", "household", "item__category")
        .get(pk=entry.pk)
    )


def _check_reviewer(entry: Entry, by) -> None:
    membership = membership_for(by, entry.village)
    if membership is None or not membership.is_committee:
        raise PointsError(_("Only the committee reviews entries."))
    # 回避: nobody reviews for their own household.
    if membership.household_id == entry.household_id:
        raise PointsError(_("You cannot review an entry for your own household."))


def _issued_in_year(village, year: int) -> int:
    return (
        Entry.objects.filter(
            village=village,
            occurred_on__year=year,
            points__gt=0,
            status__in=[Entry.Status.APPROVED, Entry.Status.FINAL],
        ).aggregate(s=Sum("points"))["s"]
        or 0
    )


@transaction.atomic
def entry_approve(*, entry: Entry, by, reason: str = "") -> Entry:
    entry = _lock_entry(entry)
    _check_reviewer(entry, by)
    if entry.status != Entry.Status.PROPOSED:
        raise PointsError(_("This entry has already been reviewed."))
    village_settings = settings_for(entry.village)
    if village_settings.annual_budget is not None and entry.points > 0:
        issued = _issued_in_year(entry.village, entry.occurred_on.year)
        if issued + entry.points > village_settings.annual_budget:
            raise PointsError(
                _("This would pass the village's budget of %(budget)s points a year.")
                % {"budget": village_settings.annual_budget}
            )
    now = timezone.now()
    _step(entry, EntryStep.Kind.APPROVED, by=by, at=now, reason=reason)
    entry.reviewed_by = by
    entry.reviewed_at = now
    entry.review_reason = reason
    entry.notice_ends_at = now + dt.timedelta(days=village_settings.notice_days)
    entry.save()
    audit_log(
        actor=by,
        action="points.entry_approve",
        village=entry.village,
        target=entry,
        before={"status": Entry.Status.PROPOSED},
        after={"status": entry.status},
        note=reason,
    )
    _tell_household(
        entry,
        _("Points entry in public notice: %(item)s %(points)+d")
        % {"item": entry.item.name, "points": entry.points},
        _("You may appeal until %(date)s.")
        % {"date": timezone.localtime(entry.notice_ends_at).strftime("%Y-%m-%d %H:%M")},
    )
    return entry


@transaction.atomic
def entry_reject(*, entry: Entry, by, reason: str) -> Entry:
    entry = _lock_entry(entry)
    _check_reviewer(entry, by)
    if not reason.strip():
        raise PointsError(_("Give a reason for the rejection."))
    if entry.status != Entry.Status.PROPOSED:
        raise PointsError(_("This entry has already been reviewed."))
    now = timezone.now()
    _step(entry, EntryStep.Kind.REJECTED, by=by, at=now, reason=reason.strip())
    entry.reviewed_by = by
    entry.reviewed_at = now
    entry.review_reason = reason.strip()
    entry.save()
    audit_log(
        actor=by,
        action="points.entry_reject",
        village=entry.village,
        target=entry,
        before={"status": Entry.Status.PROPOSED},
        after={"status": entry.status},
        note=entry.review_reason,
    )
    return entry


@transaction.atomic
def appeal_file(*, entry: Entry, by, reason: str) -> Appeal:
    """申诉 by a member of the household, while the entry is in public notice."""
    entry = _lock_entry(entry)
    membership = membership_for(by, entry.village)
    if membership is None or membership.household_id != entry.household_id:
        raise PointsError(_("Only the household itself can appeal this entry."))
    if not reason.strip():
        raise PointsError(_("Say why you appeal."))
    if entry.status != Entry.Status.APPROVED:
        raise PointsError(_("Only an entry in public notice can be appealed."))
    if timezone.now() >= entry.notice_ends_at:
        raise PointsError(
            _("The public notice period is over: it is too late to appeal.")
        )
    if Appeal.objects.filter(entry=entry).exists():
        raise PointsError(_("This entry has already been appealed."))
    appeal = Appeal.objects.create(
        entry=entry,
        entry_recorded_by_id=entry.recorded_by_id,
        filed_by=by,
        reason=reason.strip(),
    )
    _step(
        entry, EntryStep.Kind.APPEALED, by=by, at=appeal.filed_at, reason=appeal.reason
    )
    return appeal


@transaction.atomic
def appeal_decide(*, appeal: Appeal, by, reverse_entry: bool, reason: str) -> Appeal:
    """A committee member other than the recorder upholds or reverses the entry."""
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    entry = _lock_entry(appeal.entry)
    _check_reviewer(entry, by)
    if by.pk == entry.recorded_by_id:
        raise PointsError(
            _("The person who recorded the entry cannot decide its appeal.")
        )
    if not reason.strip():
        raise PointsError(_("Give a reason for the decision."))
    if appeal.status != Appeal.Status.OPEN:
        raise PointsError(_("This appeal has already been decided."))
    appeal.status = Appeal.Status.REVERSED if reverse_entry else Appeal.Status.UPHELD
    appeal.decided_by = by
    appeal.decided_at = timezone.now()
    appeal.decision_reason = reason.strip()
    appeal.save()
    _step(
        entry,
        EntryStep.Kind.OVERTURNED if reverse_entry else EntryStep.Kind.UPHELD,
        by=by,
        at=appeal.decided_at,
        reason=appeal.decision_reason,
    )
    if reverse_entry:
        entry.save(update_fields=["status"])
    audit_log(
        actor=by,
        action="points.appeal_decide",
        village=entry.village,
        target=entry,
        before={"appeal": Appeal.Status.OPEN},
        after={"appeal": appeal.status, "entry": entry.status},
        note=appeal.decision_reason,
    )
    _tell_household(
        entry,
        _("Your appeal was decided: %(decision)s")
        % {"decision": appeal.get_status_display()},
        appeal.decision_reason,
    )
    return appeal


def entry_finalize(*, entry: Entry, now: dt.datetime | None = None) -> bool:
    """经公示无异议: post the entry to the ledger once its notice is over and no
    appeal stands open. Returns whether it became final."""
    now = now or timezone.now()
    with transaction.atomic():
        entry = _lock_entry(entry)
        if entry.status != Entry.Status.APPROVED or entry.notice_ends_at > now:
            return False
        if Appeal.objects.filter(entry=entry, status=Appeal.Status.OPEN).exists():
            return False
        ledger_record_deed(
            household=entry.household,
            points=entry.points,
            effective_on=entry.occurred_on,
            key=f"entry:{entry.pk}",
            by=entry.reviewed_by,
            entry=entry,
            memo=entry.item.name[:200],
        )
        _step(entry, EntryStep.Kind.FINAL, by=None, at=now)
        entry.save(update_fields=["status"])
    return True


def entries_finalize_due(*, village=None, now: dt.datetime | None = None) -> int:
    """Finalise every entry whose notice is over (run from cron or before a list)."""
    now = now or timezone.now()
    due = Entry.objects.filter(status=Entry.Status.APPROVED, notice_ends_at__lte=now)
    if village is not None:
        due = due.filter(village=village)
    return sum(entry_finalize(entry=entry, now=now) for entry in due.order_by("pk"))


@transaction.atomic
def entry_reverse(*, entry: Entry, by, reason: str) -> Entry:
    """A correction of a final entry: a reversal in the ledger, never an edit."""
    entry = _lock_entry(entry)
    _check_reviewer(entry, by)
    if not reason.strip():
        raise PointsError(_("Give a reason for the reversal."))
    if entry.status != Entry.Status.FINAL:
        raise PointsError(_("Only a final entry can be reversed."))
    if period_closed(entry.village, entry.occurred_on):
        raise PointsError(
            _("The period of %(date)s is closed: its list is published.")
            % {"date": entry.occurred_on.isoformat()}
        )
    original = entry.transactions.get(kind__in=["award", "deduct"])
    ledger_reverse(
        original=original,
        key=f"entry-reverse:{entry.pk}",
        by=by,
        memo=reason.strip()[:200],
    )
    _step(entry, EntryStep.Kind.REVERSED, by=by, reason=reason.strip())
    entry.save(update_fields=["status"])
    audit_log(
        actor=by,
        action="points.entry_reverse",
        village=entry.village,
        target=entry,
        before={"status": Entry.Status.FINAL},
        after={"status": entry.status},
        note=reason.strip(),
    )
    _tell_household(
        entry,
        _("A points entry was corrected: %(item)s") % {"item": entry.item.name},
        reason.strip(),
    )
    return entry

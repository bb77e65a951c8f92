"""Writes: filing, 转办 (assign), 督办 (chase), progress, 办结 (close), 好差评
(rate), reopen, escalate and "me too".

Every step locks the report, checks the transition, writes one ``ReportEvent``,
records the action in the audit log (privileged steps) and tells the filer through
the notification channel, all in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from notifications.models import Kind as NotificationKind
from notifications.services import notify
from reports.models import (
    ANSWER_MAX,
    HANDLED_STATUSES,
    NOTE_MAX,
    OPEN_STATUSES,
    TEXT_MAX,
    Department,
    Kind,
    MeToo,
    Rating,
    Report,
    ReportCounter,
    ReportPhoto,
    Status,
)
from reports.services.base import (
    ReportError,
    Step,
    _clean_text,
    _committee,
    _event,
    _handlers,
    _lock,
    _tell_filer,
)
from villages.access import membership_for
from villages.models import Membership, Village

MAX_PHOTOS = 4


def _next_number(village: Village, year: int) -> str:
    counter, _created = ReportCounter.objects.select_for_update().get_or_create(
        village=village, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}-{counter.last:04d}"


def _check_coordinates(latitude, longitude) -> None:
    if (latitude is None) != (longitude is None):
        raise ReportError(_("Give both latitude and longitude, or neither."))
    if latitude is None:
        return
    if not (Decimal(-90) <= Decimal(latitude) <= Decimal(90)):
        raise ReportError(_("Latitude must be between -90 and 90."))
    if not (Decimal(-180) <= Decimal(longitude) <= Decimal(180)):
        raise ReportError(_("Longitude must be between -180 and 180."))


@transaction.atomic
def report_file(
    *,
    village: Village,
    by,
    kind: str,
    text: str,
    place: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    is_public: bool = False,
    photos: Sequence = (),
) -> Report:
    """A member files a report; it gets the village's next number for the year.
    ``photos`` are already-checked images (``points.images.photo_prepare``)."""
    membership = membership_for(by, village)
    if membership is None:
        raise ReportError(_("Only members of this village can file a report here."))
    if kind not in Kind.values:
        raise ReportError(_("Choose what kind of report this is."))
    text = _clean_text(
        text, limit=TEXT_MAX, empty=_("Please say in a few words what happened.")
    )
    place = (place or "").strip()
    if len(place) > 200:
        raise ReportError(_("The place may be at most 200 characters."))
    _check_coordinates(latitude, longitude)
    if len(photos) > MAX_PHOTOS:
        raise ReportError(
            _("At most %(count)s photos per report.") % {"count": MAX_PHOTOS}
        )
    now = timezone.now()
    household = membership.household
    report = Report.objects.create(
        village=village,
        number=_next_number(village, timezone.localtime(now).year),
        kind=kind,
        text=text,
        place=place,
        latitude=latitude,
        longitude=longitude,
        is_public=is_public,
        filer=by,
        grid_id=membership.grid_id or (household.grid_id if household else None),
        filed_at=now,
    )
    for photo in photos:
        ReportPhoto.objects.create(report=report, image=photo.file)
    _event(report, Step.FILED, by, at=now)
    notify(
        recipients=[u for u in _committee(village) if u.pk != by.pk],
        kind=NotificationKind.REPORTS,
        title=_("New report %(number)s: %(kind)s")
        % {"number": report.number, "kind": report.get_kind_display()},
        url=report.get_absolute_url(),
        village=village,
    )
    return report


def assignable_people(village: Village):
    """Grid workers and committee members of the village: who may be assigned."""
    return (
        Membership.objects.active()
        .filter(village=village)
        .filter(Q(is_grid_worker=True) | Q(is_committee=True))
        .select_related("user")
        .order_by("user__name", "pk")
    )


def _may_be_assigned(user, village: Village) -> bool:
    membership = membership_for(user, village)
    return bool(membership and (membership.is_grid_worker or membership.is_committee))


@transaction.atomic
def report_assign(
    *,
    report: Report,
    by,
    assignee=None,
    department: Department | None = None,
    due_on: dt.date,
    note: str = "",
) -> Report:
    """转办: the committee hands the report to a grid worker, a committee member or
    an outside department, with a due date. Reassigning an open report is allowed."""
    report = _lock(report)
    village = report.village
    membership = membership_for(by, village)
    if not (membership and membership.is_committee):
        raise ReportError(_("Only the committee assigns reports."))
    if report.status not in OPEN_STATUSES:
        raise ReportError(_("This report is already answered."))
    if (assignee is None) == (department is None):
        raise ReportError(_("Choose one person or one department."))
    if assignee is not None and not _may_be_assigned(assignee, village):
        raise ReportError(
            _("Reports go to a grid worker or a committee member of this village.")
        )
    if department is not None and (
        department.village_id != village.pk or not department.is_active
    ):
        raise ReportError(_("This department is not on the village's list."))
    if due_on is None or due_on < timezone.localdate():
        raise ReportError(_("The due date cannot be in the past."))
    note = (note or "").strip()[:NOTE_MAX]
    before = {"handler": report.handler_name, "due_on": report.due_on}
    report.assignee = assignee
    report.department = department
    report.due_on = due_on
    if report.status == Status.FILED:
        report.status = Status.ASSIGNED
    report.save(update_fields=["assignee", "department", "due_on", "status"])
    _event(
        report,
        Step.ASSIGNED,
        by,
        handler=report.handler_name[:100],
        due_on=due_on,
        note=note,
    )
    audit_log(
        actor=by,
        action="reports.assign",
        village=village,
        target=report,
        before=before,
        after={"handler": report.handler_name, "due_on": due_on},
        note=note,
    )
    _tell_filer(
        report,
        _("Report %(number)s was passed to %(handler)s, due %(due)s")
        % {
            "number": report.number,
            "handler": report.handler_name,
            "due": due_on.isoformat(),
        },
    )
    if assignee is not None and assignee.pk != by.pk:
        notify(
            recipients=[assignee],
            kind=NotificationKind.REPORTS,
            title=_("Report %(number)s is yours to handle, due %(due)s")
            % {"number": report.number, "due": due_on.isoformat()},
            body=note,
            url=report.get_absolute_url(),
            village=village,
        )
    return report


def _check_handler(report: Report, by) -> None:
    if not by.has_perm("reports.act", report):
        raise ReportError(_("Only the person this report is assigned to can do this."))
    if report.status not in HANDLED_STATUSES:
        raise ReportError(_("This report is not being handled now."))


@transaction.atomic
def report_progress(*, report: Report, by, note: str) -> Report:
    report = _lock(report)
    _check_handler(report, by)
    note = _clean_text(note, limit=NOTE_MAX, empty=_("Please write what was done."))
    if report.status == Status.ASSIGNED:
        report.status = Status.IN_PROGRESS
        report.save(update_fields=["status"])
    _event(report, Step.PROGRESS, by, note=note, handler=report.handler_name[:100])
    audit_log(
        actor=by,
        action="reports.progress",
        village=report.village,
        target=report,
        note=note,
    )
    _tell_filer(
        report,
        _("News on your report %(number)s") % {"number": report.number},
        note,
    )
    return report


@transaction.atomic
def report_close(*, report: Report, by, answer: str) -> Report:
    """办结 with an answer to the filer (反馈)."""
    report = _lock(report)
    _check_handler(report, by)
    answer = _clean_text(
        answer, limit=ANSWER_MAX, empty=_("Please write the answer to the filer.")
    )
    now = timezone.now()
    report.status = Status.CLOSED
    report.answer = answer
    report.closed_at = now
    report.save(update_fields=["status", "answer", "closed_at"])
    _event(
        report, Step.CLOSED, by, at=now, note=answer, handler=report.handler_name[:100]
    )
    audit_log(
        actor=by,
        action="reports.close",
        village=report.village,
        target=report,
        after={"answer": answer},
    )
    _tell_filer(
        report,
        _("Your report %(number)s is answered: please rate it")
        % {"number": report.number},
        answer,
    )
    return report


@transaction.atomic
def report_rate(*, report: Report, by, rating: str, comment: str = "") -> Report:
    """好差评 by the filer. A first dissatisfied rating reopens the report once for
    review by the same handler; after that the rating stands."""
    report = _lock(report)
    if report.filer_id != by.pk:
        raise ReportError(_("Only the person who filed the report rates it."))
    if report.status == Status.RATED:
        raise ReportError(_("You have already rated this answer."))
    if report.status != Status.CLOSED:
        raise ReportError(_("You can rate the report once it is answered."))
    if rating not in Rating.values:
        raise ReportError(_("Choose satisfied, basically satisfied or dissatisfied."))
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise ReportError(_("The comment may be at most 500 characters."))
    now = timezone.now()
    report.rating = rating
    report.rating_comment = comment
    report.rated_at = now
    report.status = Status.RATED
    _event(report, Step.RATED, by, at=now, rating=rating, note=comment)
    if rating == Rating.DISSATISFIED and report.reopened_at is None:
        report.status = Status.ASSIGNED
        report.reopened_at = now
        report.closed_at = None
        _event(report, Step.REOPENED, by, at=now, handler=report.handler_name[:100])
        audit_log(
            actor=by,
            action="reports.reopen",
            village=report.village,
            target=report,
            note=comment,
        )
        _tell_filer(
            report,
            _("Report %(number)s is reopened for review") % {"number": report.number},
        )
        if report.assignee_id:
            notify(
                recipients=[report.assignee],
                kind=NotificationKind.REPORTS,
                title=_("Report %(number)s was rated dissatisfied: please review it")
                % {"number": report.number},
                body=comment,
                url=report.get_absolute_url(),
                village=report.village,
            )
    report.save(
        update_fields=[
            "rating",
            "rating_comment",
            "rated_at",
            "status",
            "reopened_at",
            "closed_at",
        ]
    )
    return report


@transaction.atomic
def report_escalate(*, report: Report, by, note: str) -> Report:
    """The village cannot settle it: the township sees it from now on. An open
    report, or one the filer rated dissatisfied twice (the village's second
    answer did not settle it either)."""
    report = _lock(report)
    membership = membership_for(by, report.village)
    if not (membership and membership.is_committee):
        raise ReportError(_("Only the committee escalates reports."))
    if report.status not in OPEN_STATUSES and not report.failed_twice:
        raise ReportError(_("This report is already answered."))
    if report.escalated_at is not None:
        raise ReportError(_("This report is already with the township."))
    note = _clean_text(
        note, limit=NOTE_MAX, empty=_("Please say why the village cannot settle it.")
    )
    now = timezone.now()
    report.escalated_at = now
    report.save(update_fields=["escalated_at"])
    _event(report, Step.ESCALATED, by, at=now, note=note)
    audit_log(
        actor=by,
        action="reports.escalate",
        village=report.village,
        target=report,
        note=note,
    )
    _tell_filer(
        report,
        _("Report %(number)s was passed to the township") % {"number": report.number},
        note,
    )
    return report


@transaction.atomic
def report_chase(*, report: Report, by, note: str = "") -> Report:
    """督办: the committee presses the handler of a report in hand."""
    report = _lock(report)
    membership = membership_for(by, report.village)
    if not (membership and membership.is_committee):
        raise ReportError(_("Only the committee chases reports."))
    if report.status not in HANDLED_STATUSES:
        raise ReportError(_("This report is not being handled now."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ReportError(
            _("Please keep it under %(limit)s characters.") % {"limit": NOTE_MAX}
        )
    _event(report, Step.CHASED, by, note=note, handler=report.handler_name[:100])
    audit_log(
        actor=by,
        action="reports.chase",
        village=report.village,
        target=report,
        note=note,
    )
    notify(
        recipients=[u for u in _handlers(report) if u.pk != by.pk],
        kind=NotificationKind.REPORTS,
        title=_("Please hurry: report %(number)s is due %(due)s")
        % {"number": report.number, "due": report.due_on.isoformat()},
        body=note,
        url=report.get_absolute_url(),
        village=report.village,
    )
    return report


@transaction.atomic
def report_me_too(*, report: Report, by) -> int:
    """我也遇到了: one per person, on an open public report. Returns the count."""
    if not by.has_perm("reports.me_too", report):
        raise ReportError(_("You cannot add “me too” to this report."))
    if report.status not in OPEN_STATUSES:
        raise ReportError(_("This report is already answered."))
    try:
        with transaction.atomic():
            MeToo.objects.create(report=report, user=by)
    except IntegrityError:
        raise ReportError(_("You have already said “me too” here.")) from None
    return report.me_too.count()

"""Writes for the village's own set-up (its list of departments, its numbers) and
the daily reminder of overdue reports."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from notifications.models import Kind as NotificationKind
from notifications.services import notify
from reports.models import Department, Report, ReportSettings
from reports.services.base import (
    ReportError,
    _clean_text,
    _handlers,
)
from villages.models import Village


@transaction.atomic
def department_add(*, village: Village, by, name: str) -> Department:
    name = _clean_text(name, limit=60, empty=_("Please give the department's name."))
    department, created = Department.objects.get_or_create(village=village, name=name)
    if not created and department.is_active:
        raise ReportError(_("This department is already on the list."))
    department.is_active = True
    department.save(update_fields=["is_active"])
    audit_log(
        actor=by, action="reports.department_add", village=village, target=department
    )
    return department


@transaction.atomic
def department_retire(*, department: Department, by) -> Department:
    """Taken off the list for new reports; reports it holds keep it."""
    department.is_active = False
    department.save(update_fields=["is_active"])
    audit_log(
        actor=by,
        action="reports.department_retire",
        village=department.village,
        target=department,
    )
    return department


@transaction.atomic
def settings_save(
    *,
    village: Village,
    by,
    due_days: int,
    topic_threshold: int,
    remind_every_days: int | None = None,
) -> ReportSettings:
    if (
        not (1 <= due_days <= 365)
        or topic_threshold < 1
        or (remind_every_days is not None and not 1 <= remind_every_days <= 365)
    ):
        raise ReportError(_("These numbers are out of range."))
    current = ReportSettings.objects.select_for_update().get_or_create(village=village)[
        0
    ]
    fields = ["due_days", "topic_threshold", "remind_every_days"]
    before = {name: getattr(current, name) for name in fields}
    current.due_days = due_days
    current.topic_threshold = topic_threshold
    current.remind_every_days = remind_every_days
    current.save(update_fields=fields)
    audit_log(
        actor=by,
        action="reports.settings",
        village=village,
        target=current,
        before=before,
        after={name: getattr(current, name) for name in fields},
    )
    return current


def reports_remind_overdue(*, today: dt.date | None = None) -> int:
    """Tell the handler of every overdue report (cron, daily): once for each
    overdue step (a due date and a handler), and again after the village's
    ``remind_every_days`` if it set one. Each report is claimed by a conditional
    update before its message is written, in one transaction: a second run, or
    two runs at the same time, tell nobody twice. Returns how many were told."""
    today = today or timezone.localdate()
    count = 0
    overdue = Report.objects.overdue(today).select_related(
        "village", "village__report_settings", "assignee", "department"
    )
    for report in overdue.iterator(chunk_size=500):
        step = report.reminder_step
        due_again = Q(reminded_on__isnull=True)
        every = _remind_every_days(report.village)
        if every:
            due_again |= Q(reminded_on__lte=today - dt.timedelta(days=every))
        with transaction.atomic():
            claimed = (
                Report.objects.filter(
                    pk=report.pk, status=report.status, due_on=report.due_on
                )
                .filter(~Q(reminded_for=step) | due_again)
                .update(reminded_for=step, reminded_on=today)
            )
            if not claimed:
                continue
            notify(
                recipients=_handlers(report),
                kind=NotificationKind.REPORTS,
                title=_("Overdue: report %(number)s was due %(due)s")
                % {"number": report.number, "due": report.due_on.isoformat()},
                url=report.get_absolute_url(),
                village=report.village,
            )
        count += 1
    return count


def _remind_every_days(village: Village) -> int | None:
    try:
        return village.report_settings.remind_every_days
    except ReportSettings.DoesNotExist:
        return None

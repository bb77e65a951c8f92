"""Writes for the village's own set-up (its list of departments, its numbers) and
the daily reminder of overdue reports."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
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
    *, village: Village, by, due_days: int, topic_threshold: int
) -> ReportSettings:
    if not (1 <= due_days <= 365) or topic_threshold < 1:
        raise ReportError(_("These numbers are out of range."))
    current = ReportSettings.objects.select_for_update().get_or_create(village=village)[
        0
    ]
    before = {"due_days": current.due_days, "topic_threshold": current.topic_threshold}
    current.due_days = due_days
    current.topic_threshold = topic_threshold
    current.save(update_fields=["due_days", "topic_threshold"])
    audit_log(
        actor=by,
        action="reports.settings",
        village=village,
        target=current,
        before=before,
        after={"due_days": due_days, "topic_threshold": topic_threshold},
    )
    return current


def reports_remind_overdue(*, today: dt.date | None = None) -> int:
    """Tell the handler of every overdue report, once a day (cron). Returns how
    many reports were overdue."""
    today = today or timezone.localdate()
    count = 0
    overdue = Report.objects.overdue(today).select_related(
        "village", "assignee", "department"
    )
    for report in overdue.iterator(chunk_size=500):
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

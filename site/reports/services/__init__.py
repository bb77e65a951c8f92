"""Writes for reports, by job: ``steps`` (a report's life), ``village`` (its
set-up and reminders), ``links`` (into deliberation and points)."""

from reports.services.base import ReportError, settings_for
from reports.services.links import award_items, report_award_points, report_to_topic
from reports.services.steps import (
    MAX_PHOTOS,
    assignable_people,
    report_assign,
    report_chase,
    report_close,
    report_escalate,
    report_file,
    report_me_too,
    report_progress,
    report_rate,
)
from reports.services.village import (
    department_add,
    department_retire,
    reports_remind_overdue,
    settings_save,
)

__all__ = [
    "MAX_PHOTOS",
    "ReportError",
    "assignable_people",
    "award_items",
    "department_add",
    "department_retire",
    "report_assign",
    "report_award_points",
    "report_chase",
    "report_close",
    "report_escalate",
    "report_file",
    "report_me_too",
    "report_progress",
    "report_rate",
    "report_to_topic",
    "reports_remind_overdue",
    "settings_for",
    "settings_save",
]

"""What every step of a report shares: the error it raises, the row lock, the
event it writes, and whom it tells."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from notifications.models import Kind as NotificationKind
from notifications.services import notify
from reports.models import Report, ReportEvent, ReportSettings
from villages.models import Membership, Village

Step = ReportEvent.Step


class ReportError(ValidationError):
    """A step that is not allowed; the message is for the person who tried it."""


def settings_for(village: Village) -> ReportSettings:
    """The village's numbers, or the defaults (unsaved) until it sets its own:
    reading them, even on a page that refuses a form, writes nothing."""
    return ReportSettings.objects.filter(village=village).first() or ReportSettings(
        village=village
    )


def _clean_text(text: str, *, limit: int, empty: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ReportError(empty)
    if len(text) > limit:
        raise ReportError(
            _("Please keep it under %(limit)s characters.") % {"limit": limit}
        )
    return text


def _lock(report: Report) -> Report:
    # Lock the report row only (FOR UPDATE OF): the nullable joins cannot be locked.
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("village", "filer", "assignee", "department")
        .get(pk=report.pk)
    )


def _event(report: Report, step: str, by, **fields) -> ReportEvent:
    return ReportEvent.objects.create(report=report, kind=step, actor=by, **fields)


def _tell_filer(report: Report, title: str, body: str = "") -> None:
    notify(
        recipients=[report.filer],
        kind=NotificationKind.REPORTS,
        title=title,
        body=body,
        url=report.get_absolute_url(),
        village=report.village,
    )


def _committee(village: Village) -> list:
    return [
        m.user
        for m in Membership.objects.active()
        .filter(village=village, is_committee=True)
        .select_related("user")
    ]


def _handlers(report: Report) -> list:
    """Who answers for the report now: the assignee, or for an outside department
    the committee that relays it."""
    if report.assignee_id:
        return [report.assignee]
    return _committee(report.village)

"""Where a report leads elsewhere: a suggestion many share becomes a deliberation
topic; a useful report earns the filer's household points through the ledger."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from audit.services import audit_log
from reports.models import Kind, Report, ReportEvent, Status
from reports.services.base import (
    ReportError,
    _event,
    _lock,
    _tell_filer,
    settings_for,
)
from villages.access import membership_for

TOPIC_TITLE_MAX = 120


@transaction.atomic
def report_to_topic(*, report: Report, by):
    """One step from a public suggestion with enough "me too" to a deliberation
    topic; the report keeps the link and the filer is told."""
    from deliberation.services.topics import topic_create

    report = _lock(report)
    membership = membership_for(by, report.village)
    if not (membership and membership.is_committee):
        raise ReportError(_("Only the committee turns a report into a topic."))
    if report.kind != Kind.SUGGESTION or not report.is_public:
        raise ReportError(_("Only public suggestions can become topics."))
    if report.topic_id:
        raise ReportError(_("This suggestion is already a topic."))
    count = report.me_too.count()
    needed = settings_for(report.village).topic_threshold
    if count < needed:
        raise ReportError(
            _(
                "A suggestion needs %(needed)s “me too” to become a topic; it has %(count)s."
            )
            % {"needed": needed, "count": count}
        )
    title = Truncator(report.text.splitlines()[0]).chars(TOPIC_TITLE_MAX)
    description = "\n\n".join(
        [
            report.text,
            _("From resident report %(number)s, with %(count)s “me too”.")
            % {"number": report.number, "count": count},
        ]
    )
    topic = topic_create(
        village=report.village, by=by, title=title, description=description
    )
    report.topic = topic
    report.save(update_fields=["topic"])
    _event(report, ReportEvent.Step.TOPIC, by, note=title)
    audit_log(
        actor=by,
        action="reports.to_topic",
        village=report.village,
        target=report,
        after={"topic": topic.pk},
    )
    _tell_filer(
        report,
        _("Your suggestion %(number)s is now a topic for the village to discuss")
        % {"number": report.number},
    )
    return topic


def award_items(village):
    """Scoring items of this year's catalogue that give points."""
    from points.models import RuleItem

    return RuleItem.objects.filter(
        rulebook__village=village,
        rulebook__year=timezone.localdate().year,
        points__gt=0,
    ).select_related("rulebook")


@transaction.atomic
def report_award_points(*, report: Report, by, item):
    """The committee proposes a points entry for the filer's household for a
    verified useful report. It goes through review and public notice like any entry."""
    from points.services.entries import entry_record

    report = _lock(report)
    membership = membership_for(by, report.village)
    if not (membership and membership.is_committee):
        raise ReportError(_("Only the committee proposes points for a report."))
    if report.status not in (Status.CLOSED, Status.RATED):
        raise ReportError(_("Points are proposed once the report is answered."))
    if report.points_entry_id:
        raise ReportError(_("Points were already proposed for this report."))
    filer = membership_for(report.filer, report.village)
    if filer is None or filer.household is None:
        raise ReportError(_("The filer belongs to no household of this village."))
    if not award_items(report.village).filter(pk=item.pk).exists():
        raise ReportError(_("Choose an item of this year's points rules."))
    entry = entry_record(
        village=report.village,
        household=filer.household,
        item=item,
        points=None,
        occurred_on=timezone.localdate(),
        note=_("Resident report %(number)s") % {"number": report.number},
        by=by,
        key=f"report-{report.pk}",
    )
    report.points_entry = entry
    report.save(update_fields=["points_entry"])
    _event(report, ReportEvent.Step.POINTS, by, note=str(item))
    audit_log(
        actor=by,
        action="reports.award",
        village=report.village,
        target=report,
        after={"entry": entry.pk, "item": item.code},
    )
    return entry

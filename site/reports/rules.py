"""Who may do what with reports. Village permissions take the village; report
permissions take the report (its village is read from it)."""

from __future__ import annotations

import rules

from villages.access import (
    is_committee,
    is_member,
    is_monitor,
    is_supervisor,
    membership_for,
)


@rules.predicate
def is_filer(user, report) -> bool:
    return bool(report and user.is_authenticated and report.filer_id == user.pk)


@rules.predicate
def is_report_committee(user, report) -> bool:
    return bool(report and is_committee(user, report.village))


@rules.predicate
def is_assignee(user, report) -> bool:
    """The person it is assigned to; for an outside department the committee relays
    the department's progress and answer."""
    if report is None or not user.is_authenticated:
        return False
    if report.department_id:
        return is_committee(user, report.village)
    return report.assignee_id == user.pk


@rules.predicate
def is_handler(user, report) -> bool:
    return is_report_committee(user, report) or is_assignee(user, report)


@rules.predicate
def is_report_member(user, report) -> bool:
    return bool(report and membership_for(user, report.village) is not None)


@rules.predicate
def is_public(user, report) -> bool:
    return bool(report and report.is_public)


@rules.predicate
def is_escalated_to_my_area(user, report) -> bool:
    return bool(report and report.escalated_at and is_supervisor(user, report.village))


# Village pages: members read the public list and file; supervisors read.
rules.add_perm("reports.view", is_member | is_supervisor)
rules.add_perm("reports.file", is_member)
rules.add_perm("reports.manage", is_committee)
rules.add_perm("reports.view_figures", is_committee | is_monitor | is_supervisor)
rules.add_perm("reports.view_township", is_supervisor)

# One report. A private report: the filer and the handlers only (the township too,
# once the village escalates it there). A public report: every member, without
# the filer's name.
rules.add_perm(
    "reports.view_report",
    is_filer | is_handler | is_escalated_to_my_area | (is_public & is_report_member),
)
rules.add_perm("reports.see_filer", is_filer | is_handler | is_escalated_to_my_area)
rules.add_perm("reports.act", is_assignee)
rules.add_perm("reports.rate", is_filer)
rules.add_perm("reports.me_too", is_public & is_report_member & ~is_filer)

"""Shared view plumbing: the village first (404/403 there), then the report in it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.views import View

from reports import selectors
from reports.models import Kind, Report, Status
from villages.views import VillageMixin


def with_labels(reports):
    """Each row gets its kind and status in words, translated once per page
    rather than once per row (a list page shows dozens)."""
    kinds = {value: str(label) for value, label in Kind.choices}
    statuses = {value: str(label) for value, label in Status.choices}
    for report in reports:
        report.kind_label = kinds.get(report.kind, report.kind)
        report.status_label = statuses.get(report.status, report.status)
    return reports


def error_text(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


class ReportsView(VillageMixin, View):
    permission_required = "reports.view"

    def report(self, pk: int) -> Report:
        """The report, if this person may see it. A private report of someone else
        answers 404: its existence is not for others to learn."""
        report = selectors.report_detail(village=self.village, pk=pk)
        if report is None or not self.request.user.has_perm(
            "reports.view_report", report
        ):
            raise Http404
        return report

    def require(self, perm: str, obj) -> None:
        if not self.request.user.has_perm(perm, obj):
            raise PermissionDenied

    def page(self, template: str, status: int = 200, **context):
        return render(
            self.request, template, self.get_context_data(**context), status=status
        )

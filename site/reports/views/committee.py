"""The committee's queue and lists, the monthly figures, and the township's view."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deliberation.selectors import overdue_proposals_for_areas
from reports import charts, exports, selectors, services
from reports.figures import monthly_figures, total
from reports.forms import DepartmentForm, SettingsForm
from reports.models import Department, Kind, Status
from reports.views.base import ReportsView, error_text, with_labels
from spreadsheets.exports import XLSX_TYPE, download
from villages.access import supervised_area_ids

QUEUE_PAGE_SIZE = 50
STATUS_FILTERS = ["open", *Status.values]


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class QueueView(ReportsView):
    """转办 and 督办: every report of the village by kind, grid and status, with the
    overdue ones listed first."""

    permission_required = "reports.manage"

    def get(self, request, village):
        kind = request.GET.get("kind", "")
        kind = kind if kind in Kind.values else ""
        status = request.GET.get("status", "open")
        status = status if status in STATUS_FILTERS else ""
        overdue = request.GET.get("overdue") == "1"
        counts = selectors.queue_counts(village=self.village)
        grid_ids = {gid for gid, _name, _n in counts["grids"]}
        grid = _int(request.GET.get("grid"))
        grid = grid if grid in grid_ids else None
        page = Paginator(
            selectors.queue_for_village(
                village=self.village,
                kind=kind or None,
                grid_id=grid,
                status=status or None,
                overdue=overdue,
            ),
            QUEUE_PAGE_SIZE,
        ).get_page(request.GET.get("page"))
        with_labels(page)
        return self.page(
            "reports/queue.html",
            reports=page,
            base=reverse("reports:index", kwargs={"village": self.village.slug}),
            overdue_list=list(selectors.overdue_for_village(village=self.village)[:20]),
            counts=counts,
            kind=kind,
            grid=grid,
            status_filter=status,
            overdue=overdue,
            statuses=[("open", _("Open")), *Status.choices],
            today=timezone.localdate(),
        )


class DepartmentsView(ReportsView):
    """The village's list of outside departments, and its numbers for reports."""

    permission_required = "reports.manage"

    def get(self, request, village):
        current = services.settings_for(self.village)
        return self.show(
            form=DepartmentForm(),
            settings_form=SettingsForm(
                initial={
                    "due_days": current.due_days,
                    "topic_threshold": current.topic_threshold,
                    "remind_every_days": current.remind_every_days,
                }
            ),
        )

    def show(self, status=200, **forms):
        return self.page(
            "reports/departments.html",
            status=status,
            departments=selectors.departments_for(
                village=self.village, active_only=False
            ),
            **forms,
        )

    def post(self, request, village):
        current = services.settings_for(self.village)
        blank_settings = SettingsForm(
            initial={
                "due_days": current.due_days,
                "topic_threshold": current.topic_threshold,
                "remind_every_days": current.remind_every_days,
            }
        )
        action = request.POST.get("action")
        if action == "retire":
            department = get_object_or_404(
                Department,
                village=self.village,
                pk=_int(request.POST.get("department"), 0),
            )
            services.department_retire(department=department, by=request.user)
            messages.success(request, _("Taken off the list."))
            return redirect("reports:departments", village=self.village.slug)
        if action == "settings":
            form = SettingsForm(request.POST)
            if not form.is_valid():
                return self.show(400, form=DepartmentForm(), settings_form=form)
            services.settings_save(
                village=self.village, by=request.user, **form.cleaned_data
            )
            messages.success(request, _("Saved."))
            return redirect("reports:departments", village=self.village.slug)
        form = DepartmentForm(request.POST)
        if form.is_valid():
            try:
                services.department_add(
                    village=self.village,
                    by=request.user,
                    name=form.cleaned_data["name"],
                )
            except ValidationError as error:
                form.add_error("name", error_text(error))
        if form.errors:
            return self.show(400, form=form, settings_form=blank_settings)
        messages.success(request, _("Added to the list."))
        return redirect("reports:departments", village=self.village.slug)


def _year(request) -> int:
    this_year = timezone.localdate().year
    year = _int(request.GET.get("year"), this_year)
    return year if 2000 <= year <= this_year + 1 else this_year


def _month_labels() -> list[str]:
    return [str(m) for m in range(1, 13)]


def _charts(months) -> dict:
    labels = _month_labels()
    return {
        "chart_volume": charts.paired_bars(
            [m.received for m in months],
            [m.closed for m in months],
            labels,
            title=_("Reports received and closed per month"),
            names=(_("Received"), _("Closed")),
        ),
        "chart_satisfaction": charts.rate_bars(
            [m.satisfaction_rate for m in months],
            labels,
            title=_("Satisfaction rate per month (%)"),
        ),
    }


def _xlsx(content: bytes, name: str) -> HttpResponse:
    return download(content, filename=name, content_type=XLSX_TYPE)


class FiguresView(ReportsView):
    permission_required = "reports.view_figures"

    def figures(self, year):
        months = monthly_figures(village_ids=[self.village.pk], year=year)[
            self.village.pk
        ]
        return months, total(months, label_month=dt.date(year, 1, 1))

    def get(self, request, village):
        year = _year(request)
        months, year_total = self.figures(year)
        return self.page(
            "reports/figures.html",
            year=year,
            rows=[(f"{m.month:%Y-%m}", m) for m in months]
            + [(_("Whole year"), year_total)],
            **_charts(months),
        )


class FiguresExportView(FiguresView):
    def get(self, request, village):
        year = _year(request)
        months, year_total = self.figures(year)
        content = exports.figures_workbook(
            rows=[(self.village.name, months, year_total)]
        )
        return _xlsx(content, f"reports-{self.village.slug}-{year}.xlsx")


class TownshipView(ReportsView):
    """The township sees what its villages escalated, residents' proposals whose
    answer is overdue, and every village's figures."""

    permission_required = "reports.view_township"

    def data(self, year):
        area_ids = supervised_area_ids(self.request.user)
        villages = list(selectors.villages_of_areas(area_ids=area_ids))
        by_village = monthly_figures(village_ids=[v.pk for v in villages], year=year)
        rows = []
        for v in villages:
            months = by_village[v.pk]
            rows.append((v, months, total(months, label_month=dt.date(year, 1, 1))))
        return area_ids, rows

    def get(self, request, village):
        year = _year(request)
        area_ids, rows = self.data(year)
        all_months = [
            total([r[1][i] for r in rows], label_month=dt.date(year, i + 1, 1))
            for i in range(12)
        ]
        page = Paginator(
            selectors.escalated_for_areas(area_ids=area_ids), QUEUE_PAGE_SIZE
        ).get_page(request.GET.get("page"))
        with_labels(page)
        return self.page(
            "reports/township.html",
            year=year,
            rows=rows,
            area_total=total(all_months, label_month=dt.date(year, 1, 1)),
            escalated=page,
            failed_twice=selectors.failed_twice_for_areas(area_ids=area_ids)[:100],
            overdue_proposals=overdue_proposals_for_areas(area_ids=area_ids),
            **_charts(all_months),
        )


class TownshipExportView(TownshipView):
    def get(self, request, village):
        year = _year(request)
        _area_ids, rows = self.data(year)
        content = exports.figures_workbook(
            rows=[(v.name, months, year_total) for v, months, year_total in rows]
        )
        return _xlsx(content, f"reports-township-{year}.xlsx")

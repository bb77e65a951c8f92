"""Pages for the rules catalogue (积分细则) and the committee's village figures."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.forms.models import model_to_dict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from points import charts, selectors
from points.excel import catalogue_check, catalogue_export, catalogue_import
from points.forms import CatalogueUploadForm, PointsSettingsForm
from points.models import RuleBook
from points.services.entries import points_settings_save, settings_for
from points.services.errors import PointsError
from spreadsheets.exports import XLSX_TYPE, download
from villages.views import VillageMixin

MAX_UPLOAD = 5 * 1024 * 1024


class RulesView(VillageMixin, View):
    permission_required = "points.view_points"

    def get(self, request, village):
        books = list(RuleBook.objects.filter(village=self.village).order_by("-year"))
        year = request.GET.get("year")
        book = next(
            (b for b in books if str(b.year) == year), books[0] if books else None
        )
        context = self.get_context_data(
            books=books,
            book=book,
            items=selectors.rule_items(book),
            can_manage=request.user.has_perm("points.manage_rules", self.village),
        )
        return render(request, "points/rules.html", context)


class RulesExportView(VillageMixin, View):
    permission_required = "points.view_points"

    def get(self, request, village, year):
        book = RuleBook.objects.filter(village=self.village, year=year).first()
        if book is None:
            return render(request, "404.html", self.get_context_data(), status=404)
        return download(
            catalogue_export(book),
            filename=f"rules-{self.village.slug}-{year}.xlsx",
            content_type=XLSX_TYPE,
        )


class RulesImportView(VillageMixin, View):
    permission_required = "points.manage_rules"

    def get(self, request, village):
        form = CatalogueUploadForm(initial={"year": timezone.localdate().year})
        return render(
            request, "points/rules_import.html", self.get_context_data(form=form)
        )

    def post(self, request, village):
        form = CatalogueUploadForm(request.POST, request.FILES)
        errors: list[str] = []
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_UPLOAD:
                errors.append(_("The file may be at most 5 MB."))
            else:
                report = catalogue_check(upload.read())
                errors = report.errors
                if not errors:
                    try:
                        book = catalogue_import(
                            village=self.village,
                            year=form.cleaned_data["year"],
                            rows=report.rows,
                            by=request.user,
                            adopted_by=form.cleaned_data["adopted_by"],
                            adopted_on=form.cleaned_data["adopted_on"],
                            minutes=form.cleaned_data["minutes"],
                        )
                    except PointsError as error:
                        errors = [str(m) for m in error.messages]
                    else:
                        messages.success(
                            request,
                            _("Imported %(count)s items for %(year)s.")
                            % {"count": len(report.rows), "year": book.year},
                        )
                        return redirect(
                            f"{request.path.rsplit('import/', 1)[0]}?year={book.year}"
                        )
        return render(
            request,
            "points/rules_import.html",
            self.get_context_data(form=form, errors=errors),
            status=400,
        )


class FiguresView(VillageMixin, View):
    """The committee's view of the village: distribution and category breakdown."""

    permission_required = "points.view_village_figures"

    def get(self, request, village):
        try:
            year = int(request.GET.get("year", timezone.localdate().year))
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        except (TypeError, ValueError):
            year = timezone.localdate().year
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        scores = selectors.with_zeros(
            self.village, selectors.period_scores(self.village, start, end)
        )
        rows = selectors.category_breakdown(self.village, start, end)
        context = self.get_context_data(
            year=year,
            households=len(scores),
            distribution_chart=charts.distribution(
                scores, _("Households by score in %(year)s") % {"year": year}
            ),
            category_chart=charts.category_bars(
                rows, _("Points by category in %(year)s") % {"year": year}
            ),
            rows=rows,
        )
        return render(request, "points/figures.html", context)


class SettingsView(VillageMixin, View):
    """The village's decisions about its scheme: notice period, list shares,
    privacy of names, display window, yearly budget."""

    permission_required = "points.manage_settings"

    def _render(self, form, status=200):
        return render(
            self.request,
            "points/settings.html",
            self.get_context_data(form=form),
            status=status,
        )

    def get(self, request, village):
        return self._render(PointsSettingsForm(instance=settings_for(self.village)))

    def post(self, request, village):
        current = settings_for(self.village)
        before = model_to_dict(current)
        form = PointsSettingsForm(request.POST, instance=current)
        if not form.is_valid():
            return self._render(form, status=400)
        points_settings_save(form=form, by=request.user, before=before)
        messages.success(request, _("Saved."))
        return redirect("points:settings", village=self.village.slug)

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from roster import progress
from roster.forms import RosterUploadForm
from roster.reading import RosterFileError
from roster.selectors import (
    roster_import_for_village,
    roster_import_problems,
    roster_imports_for_village,
)
from roster.services import roster_export, roster_import_confirm, roster_import_create
from spreadsheets.exports import XLSX_TYPE, download
from villages.selectors import village_members
from villages.views import VillageMixin


class RosterView(VillageMixin, View):
    permission_required = "villages.view_roster"

    def get(self, request, village):
        page = Paginator(village_members(village=self.village), 100).get_page(
            request.GET.get("page")
        )
        can_manage = request.user.has_perm("villages.manage_roster", self.village)
        return render(
            request,
            "roster/list.html",
            self.get_context_data(page=page, can_manage=can_manage),
        )


class RosterExportView(VillageMixin, View):
    permission_required = "villages.view_roster"

    def get(self, request, village):
        content = roster_export(village=self.village, by=request.user)
        filename = f"roster-{self.village.slug}-{timezone.localdate():%Y%m%d}.xlsx"
        return download(
            content, filename=filename, content_type=XLSX_TYPE, private=True
        )


class RosterImportView(VillageMixin, View):
    """Upload a roster: it is checked at once, and the report comes next."""

    permission_required = "villages.manage_roster"
    template_name = "roster/import_upload.html"

    def get(self, request, village):
        return self.render_form(RosterUploadForm())

    def post(self, request, village):
        form = RosterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                roster_import = roster_import_create(
                    village=self.village,
                    by=request.user,
                    upload=form.cleaned_data["file"],
                )
            except RosterFileError as exc:
                form.add_error("file", ValidationError(exc.message, code=exc.code))
            else:
                return redirect(roster_import)
        return self.render_form(form, status=400)

    def render_form(self, form, status=200):
        imports = roster_imports_for_village(village=self.village)[:10]
        return render(
            self.request,
            self.template_name,
            self.get_context_data(form=form, imports=imports),
            status=status,
        )


class RosterImportDetailView(VillageMixin, View):
    """The check report, then the progress, then the outcome of one import."""

    permission_required = "villages.manage_roster"

    def get(self, request, village, pk):
        roster_import = roster_import_for_village(village=self.village, pk=pk)
        done = progress.processed_rows(roster_import)
        return render(
            request,
            "roster/import_detail.html",
            self.get_context_data(
                roster_import=roster_import,
                problems=roster_import_problems(roster_import=roster_import),
                processed_rows=done,
                percent=(
                    round(100 * done / roster_import.total_rows)
                    if roster_import.total_rows
                    else 0
                ),
            ),
        )


class RosterImportConfirmView(VillageMixin, View):
    permission_required = "villages.manage_roster"

    def post(self, request, village, pk):
        roster_import = roster_import_for_village(village=self.village, pk=pk)
        if not roster_import_confirm(roster_import=roster_import, by=request.user):
            messages.warning(
                request, _("This import has already been confirmed or cannot run.")
            )
        return redirect(roster_import)

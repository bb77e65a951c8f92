"""Pages for the red/black list, objections, review, publication, credit repair."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from audit.services import audit_log
from cms_home.qr import qr_svg
from points import selectors
from points.forms import ListDraftForm, ReasonForm, RepairTaskForm
from points.models import ListLine, RankingList, RepairTask
from points.services.errors import PointsError
from points.services.lists import (
    line_consent,
    line_object,
    line_review,
    list_draft,
    list_notify,
    list_publish,
    period_bounds,
    repair_task_add,
    repair_task_verify,
)
from spreadsheets.exports import XLSX_TYPE, XlsxWriter, download
from villages.views import VillageMixin


def _report(request, error: PointsError) -> None:
    for message in error.messages:
        messages.error(request, str(message))


class ListIndexView(VillageMixin, View):
    permission_required = "points.view_points"

    def get(self, request, village):
        manage = request.user.has_perm("points.manage_lists", self.village)
        lists = RankingList.objects.filter(village=self.village)
        if not manage:
            lists = lists.filter(status=RankingList.Status.PUBLISHED)
        today = timezone.localdate()
        context = self.get_context_data(
            lists=lists,
            can_manage=manage,
            form=ListDraftForm(initial={"period": "year", "year": today.year - 1}),
        )
        return render(request, "points/lists.html", context)


class ListDraftView(VillageMixin, View):
    permission_required = "points.manage_lists"

    def post(self, request, village):
        form = ListDraftForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("points:lists", village=self.village.slug)
        data = form.cleaned_data
        try:
            starts_on, ends_on = period_bounds(
                data["period"], data["year"], data["number"]
            )
            ranking = list_draft(
                village=self.village,
                period=data["period"],
                starts_on=starts_on,
                ends_on=ends_on,
                by=request.user,
            )
        except PointsError as error:
            _report(request, error)
            return redirect("points:lists", village=self.village.slug)
        return redirect("points:list", village=self.village.slug, pk=ranking.pk)


class ListDetailView(VillageMixin, View):
    permission_required = "points.view_points"
    template_name = "points/list_detail.html"

    def get(self, request, village, pk):
        ranking = get_object_or_404(RankingList, pk=pk, village=self.village)
        manage = request.user.has_perm("points.manage_lists", self.village)
        membership = self.membership
        own_line = None
        if membership and membership.household_id:
            own_line = (
                ranking.lines.filter(household_id=membership.household_id)
                .prefetch_related("repair_tasks")
                .first()
            )
        if (
            ranking.status != RankingList.Status.PUBLISHED
            and not manage
            and own_line is None
            and not request.user.has_perm("points.view_review_queue", self.village)
        ):
            raise PermissionDenied
        context = self.get_context_data(
            ranking=ranking,
            can_manage=manage,
            own_line=own_line,
            reason_form=ReasonForm(),
            task_form=RepairTaskForm(),
            now=timezone.now(),
        )
        if manage and ranking.status != RankingList.Status.PUBLISHED:
            context["draft_lines"] = ranking.lines.select_related(
                "household", "reviewed_by"
            ).order_by("color", "rank")
        elif ranking.status == RankingList.Status.PUBLISHED:
            context.update(selectors.list_lines_public(ranking, timezone.localdate()))
        # Before publication a household sees only its own line: the others have
        # no public name yet, and the black list's display window has not begun.
        if manage and ranking.status == RankingList.Status.PUBLISHED:
            context["black_lines"] = (
                ranking.lines.filter(color=ListLine.Color.BLACK)
                .exclude(review=ListLine.Review.REMOVED)
                .select_related("household")
                .prefetch_related("repair_tasks")
            )
        return render(request, self.template_name, context)


class ListPrintView(ListDetailView):
    """For the paper notice board (公示栏): the same lines, with a QR code back."""

    template_name = "points/list_print.html"

    def get(self, request, village, pk):
        ranking = get_object_or_404(
            RankingList,
            pk=pk,
            village=self.village,
            status=RankingList.Status.PUBLISHED,
        )
        context = self.get_context_data(
            ranking=ranking,
            qr=mark_safe(
                qr_svg(
                    request.build_absolute_uri(
                        reverse("points:list", kwargs={"village": village, "pk": pk})
                    )
                )
            ),
            **selectors.list_lines_public(ranking, timezone.localdate()),
        )
        return render(request, self.template_name, context)


class _ListAction(VillageMixin, View):
    permission_required = "points.manage_lists"

    def post(self, request, village, pk):
        ranking = get_object_or_404(RankingList, pk=pk, village=self.village)
        try:
            self.act(ranking)
        except PointsError as error:
            _report(request, error)
        return redirect("points:list", village=self.village.slug, pk=ranking.pk)


class ListNotifyView(_ListAction):
    def act(self, ranking):
        list_notify(ranking=ranking, by=self.request.user)
        messages.success(
            self.request, _("The households are told; objections are open.")
        )


class ListPublishView(_ListAction):
    def act(self, ranking):
        list_publish(ranking=ranking, by=self.request.user)
        messages.success(self.request, _("Published."))


class LineReviewView(VillageMixin, View):
    permission_required = "points.manage_lists"

    def post(self, request, village, pk):
        line = get_object_or_404(ListLine, pk=pk, ranking__village=self.village)
        form = ReasonForm(request.POST)
        keep = request.POST.get("action") == "keep"
        if not form.is_valid():
            messages.error(request, _("Give a reason for the decision."))
        else:
            try:
                line_review(
                    line=line,
                    by=request.user,
                    keep=keep,
                    note=form.cleaned_data["reason"],
                )
            except PointsError as error:
                _report(request, error)
        return redirect("points:list", village=self.village.slug, pk=line.ranking_id)


class LineObjectView(VillageMixin, View):
    permission_required = "points.view_points"

    def post(self, request, village, pk):
        line = get_object_or_404(ListLine, pk=pk, ranking__village=self.village)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Say why you object."))
        else:
            try:
                line_object(
                    line=line, by=request.user, text=form.cleaned_data["reason"]
                )
                messages.success(request, _("Your objection is recorded."))
            except PointsError as error:
                _report(request, error)
        return redirect("points:list", village=self.village.slug, pk=line.ranking_id)


class LineConsentView(VillageMixin, View):
    permission_required = "points.view_points"

    def post(self, request, village, pk):
        line = get_object_or_404(ListLine, pk=pk, ranking__village=self.village)
        try:
            line_consent(
                line=line, by=request.user, consent=request.POST.get("consent") == "yes"
            )
            messages.success(request, _("Saved."))
        except PointsError as error:
            _report(request, error)
        return redirect("points:list", village=self.village.slug, pk=line.ranking_id)


class RepairTaskCreateView(VillageMixin, View):
    permission_required = "points.manage_lists"

    def post(self, request, village, pk):
        line = get_object_or_404(ListLine, pk=pk, ranking__village=self.village)
        form = RepairTaskForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Describe the task."))
        else:
            try:
                repair_task_add(
                    line=line,
                    by=request.user,
                    description=form.cleaned_data["description"],
                    hours=form.cleaned_data["hours"],
                )
            except PointsError as error:
                _report(request, error)
        return redirect("points:list", village=self.village.slug, pk=line.ranking_id)


class RepairTaskVerifyView(VillageMixin, View):
    permission_required = "points.manage_lists"

    def post(self, request, village, pk):
        task = get_object_or_404(RepairTask, pk=pk, line__ranking__village=self.village)
        try:
            repair_task_verify(task=task, by=request.user)
        except PointsError as error:
            _report(request, error)
        return redirect(
            "points:list", village=self.village.slug, pk=task.line.ranking_id
        )


class CreditExportView(VillageMixin, View):
    """信用户 for the bank or township: only households that consented (PIPL art. 23)."""

    permission_required = "points.export_credit"

    def get(self, request, village, pk):
        ranking = get_object_or_404(
            RankingList,
            pk=pk,
            village=self.village,
            status=RankingList.Status.PUBLISHED,
        )
        lines = (
            ranking.lines.filter(
                color=ListLine.Color.RED,
                consent_to_share=True,
            )
            .exclude(review=ListLine.Review.REMOVED)
            .select_related("household")
        )
        writer = XlsxWriter()
        sheet = writer.sheet("信用户")
        sheet.row(["村", "户号", "名次", "积分", "期间"])
        for line in lines:
            sheet.row(
                [
                    self.village.name,
                    line.household.number,
                    line.rank,
                    line.score,
                    f"{ranking.starts_on:%Y-%m-%d}–{ranking.ends_on:%Y-%m-%d}",
                ]
            )
        audit_log(
            actor=request.user,
            action="points.credit_export",
            village=self.village,
            target=ranking,
            after={"rows": len(lines)},
        )
        return download(
            writer.bytes(),
            filename=f"credit-{ranking.pk}.xlsx",
            content_type=XLSX_TYPE,
            private=True,
        )

"""Residents' pages: the public list, filing a report, a report's status page and
the steps taken on it."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import selectors, services
from reports.forms import (
    AssignForm,
    AwardForm,
    ChaseForm,
    CloseForm,
    EscalateForm,
    ProgressForm,
    RateForm,
    ReportForm,
)
from reports.models import Kind, ReportPhoto, Status
from reports.views.base import ReportsView, error_text, with_labels
from villages.storage import private_image_response

PAGE_SIZE = 30


class IndexView(ReportsView):
    """The village's public reports, and the visitor's own."""

    def get(self, request, village):
        kind = request.GET.get("kind", "")
        if kind not in Kind.values:
            kind = ""
        page = Paginator(
            selectors.public_reports(village=self.village, kind=kind or None),
            PAGE_SIZE,
        ).get_page(request.GET.get("page"))
        mine = with_labels(
            list(
                selectors.reports_filed_by(village=self.village, user=request.user)[:20]
            )
        )
        return self.page(
            "reports/index.html",
            reports=with_labels(page),
            kind=kind,
            kinds=Kind.choices,
            mine=mine,
            assigned=with_labels(
                list(
                    selectors.reports_assigned_to(
                        village=self.village, user=request.user
                    )
                )
            ),
            can_file=request.user.has_perm("reports.file", self.village),
            can_manage=request.user.has_perm("reports.manage", self.village),
            can_see_figures=request.user.has_perm("reports.view_figures", self.village),
            can_see_township=request.user.has_perm(
                "reports.view_township", self.village
            ),
        )


class FileView(ReportsView):
    permission_required = "reports.file"

    def get(self, request, village):
        return self.page("reports/file.html", form=ReportForm())

    def post(self, request, village):
        form = ReportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page("reports/file.html", status=400, form=form)
        data = form.cleaned_data
        try:
            report = services.report_file(
                village=self.village,
                by=request.user,
                kind=data["kind"],
                text=data["text"],
                place=data["place"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                is_public=data["is_public"],
                photos=data["photos"],
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
            return self.page("reports/file.html", status=400, form=form)
        messages.success(
            request,
            _("Report %(number)s received. We will tell you at each step.")
            % {"number": report.number},
        )
        return redirect(report.get_absolute_url())


class DetailView(ReportsView):
    def get(self, request, village, pk):
        return self.detail(self.report(pk))

    def detail(self, report, status: int = 200, **forms):
        user = self.request.user
        handler = user.has_perm("reports.act", report)
        committee = user.has_perm("reports.manage", self.village)
        context = {
            "report": report,
            "see_filer": user.has_perm("reports.see_filer", report),
            "is_filer": report.filer_id == user.pk,
            "can_me_too": user.has_perm("reports.me_too", report) and report.is_open,
            "said_me_too": report.me_too.filter(user=user).exists()
            if report.is_public
            else False,
        }
        if committee and report.is_open:
            forms.setdefault("assign_form", self.assign_form(report))
        if (
            committee
            and report.escalated_at is None
            and (report.is_open or report.failed_twice)
        ):
            forms.setdefault("escalate_form", EscalateForm())
        if committee and report.status in (Status.ASSIGNED, Status.IN_PROGRESS):
            forms.setdefault("chase_form", ChaseForm())
        if handler and report.status in (Status.ASSIGNED, Status.IN_PROGRESS):
            forms.setdefault("progress_form", ProgressForm())
            forms.setdefault("close_form", CloseForm())
        if context["is_filer"] and report.status == Status.CLOSED:
            forms.setdefault("rate_form", RateForm())
        if committee:
            threshold = services.settings_for(self.village).topic_threshold
            context["topic_threshold"] = threshold
            context["can_make_topic"] = (
                report.kind == Kind.SUGGESTION
                and report.is_public
                and not report.topic_id
                and report.me_too_count >= threshold
            )
            if report.status in (Status.CLOSED, Status.RATED) and not (
                report.points_entry_id
            ):
                items = list(services.award_items(self.village))
                if items:
                    forms.setdefault("award_form", AwardForm(items=items))
        context.update(forms)
        return self.page("reports/detail.html", status=status, **context)

    def assign_form(self, report, data=None):
        due_days = services.settings_for(self.village).due_days
        initial = {
            "due_on": report.due_on
            or timezone.localdate() + dt.timedelta(days=due_days)
        }
        return AssignForm(
            data,
            initial=initial,
            people=list(services.assignable_people(self.village)),
            departments=list(selectors.departments_for(village=self.village)),
        )


class ActionView(DetailView):
    """A POST that takes one step; a refusal shows the status page with the reason
    (status 400), and nothing is written."""

    form_name = ""
    done_message = ""

    def get(self, request, village, pk):
        return redirect("reports:detail", village=village, pk=pk)

    def make_form(self, report):
        raise NotImplementedError

    def perform(self, report, form):
        raise NotImplementedError

    def post(self, request, village, pk):
        report = self.report(pk)
        form = self.make_form(report)
        if form is not None and not form.is_valid():
            return self.detail(report, status=400, **{self.form_name: form})
        try:
            self.perform(report, form)
        except ValidationError as error:
            messages.error(request, error_text(error))
            report = self.report(pk)
            kwargs = {self.form_name: form} if form is not None else {}
            return self.detail(report, status=400, **kwargs)
        messages.success(request, self.done_message)
        return redirect(report.get_absolute_url())


class AssignView(ActionView):
    form_name = "assign_form"

    def make_form(self, report):
        self.require("reports.manage", self.village)
        return self.assign_form(report, self.request.POST)

    def perform(self, report, form):
        person, department = form.target()
        services.report_assign(
            report=report,
            by=self.request.user,
            assignee=person,
            department=department,
            due_on=form.cleaned_data["due_on"],
            note=form.cleaned_data["note"],
        )
        self.done_message = _("Assigned.")


class ChaseView(ActionView):
    form_name = "chase_form"

    def make_form(self, report):
        self.require("reports.manage", self.village)
        return ChaseForm(self.request.POST)

    def perform(self, report, form):
        services.report_chase(
            report=report, by=self.request.user, note=form.cleaned_data["note"]
        )
        self.done_message = _("The handler is reminded.")


class ProgressView(ActionView):
    form_name = "progress_form"

    def make_form(self, report):
        self.require("reports.act", report)
        return ProgressForm(self.request.POST)

    def perform(self, report, form):
        services.report_progress(
            report=report, by=self.request.user, note=form.cleaned_data["note"]
        )
        self.done_message = _("Progress posted; the filer is told.")


class CloseView(ActionView):
    form_name = "close_form"

    def make_form(self, report):
        self.require("reports.act", report)
        return CloseForm(self.request.POST)

    def perform(self, report, form):
        services.report_close(
            report=report, by=self.request.user, answer=form.cleaned_data["answer"]
        )
        self.done_message = _("Answered; the filer is asked to rate it.")


class RateView(ActionView):
    form_name = "rate_form"

    def make_form(self, report):
        self.require("reports.rate", report)
        return RateForm(self.request.POST)

    def perform(self, report, form):
        services.report_rate(
            report=report,
            by=self.request.user,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )
        self.done_message = _("Thank you for your rating.")


class EscalateView(ActionView):
    form_name = "escalate_form"

    def make_form(self, report):
        self.require("reports.manage", self.village)
        return EscalateForm(self.request.POST)

    def perform(self, report, form):
        services.report_escalate(
            report=report, by=self.request.user, note=form.cleaned_data["note"]
        )
        self.done_message = _("Passed to the township.")


class MeTooView(ActionView):
    def make_form(self, report):
        return None

    def perform(self, report, form):
        count = services.report_me_too(report=report, by=self.request.user)
        self.done_message = _("Added. %(count)s people have this problem.") % {
            "count": count
        }


class TopicView(ActionView):
    def make_form(self, report):
        self.require("reports.manage", self.village)
        return None

    def perform(self, report, form):
        services.report_to_topic(report=report, by=self.request.user)
        self.done_message = _("The suggestion is now a deliberation topic.")


class AwardView(ActionView):
    form_name = "award_form"

    def make_form(self, report):
        self.require("reports.manage", self.village)
        return AwardForm(
            self.request.POST, items=list(services.award_items(self.village))
        )

    def perform(self, report, form):
        services.report_award_points(
            report=report, by=self.request.user, item=form.chosen()
        )
        self.done_message = _("Points proposed; they go through review as usual.")


class PhotoView(ReportsView):
    """Photos live in private storage: only those who may see the report get them."""

    def get(self, request, village, pk):
        photo = get_object_or_404(
            ReportPhoto.objects.select_related("report"),
            pk=pk,
            report__village=self.village,
        )
        self.report(photo.report_id)
        return private_image_response(photo.image)

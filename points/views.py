"""Pages for entries, review, appeals and a household's points. Thin: parse, check
the permission (VillageMixin), call a service, render."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from points import charts, selectors
from points.forms import AppealDecisionForm, EntryForm, OptionalReasonForm, ReasonForm
from points.images import photo_prepare
from points.models import Appeal, Entry, EntryPhoto
from points.services.entries import (
    appeal_decide,
    appeal_file,
    entry_approve,
    entry_record,
    entry_reject,
    entry_reverse,
)
from points.services.errors import PointsError
from villages.models import Household
from villages.storage import private_image_response
from villages.views import VillageMixin


def _errors(error: PointsError) -> list[str]:
    return [str(m) for m in error.messages]


class PointsHomeView(VillageMixin, View):
    permission_required = "points.view_points"

    def get(self, request, village):
        return render(request, "points/home.html", self.get_context_data())


class EntryCreateView(VillageMixin, View):
    """A grid worker or the committee records; a household representative
    claims (申报) for their own household. The committee reviews either."""

    permission_required = "points.propose_entry"

    def _form(self, data=None, files=None):
        households = Household.objects.filter(village=self.village)
        membership = self.membership
        if membership and not membership.is_committee:
            if membership.is_grid_worker and membership.grid_id:
                households = households.filter(grid_id=membership.grid_id)
            else:
                households = households.filter(pk=membership.household_id)
        year = timezone.localdate().year
        items = selectors.rule_items(selectors.current_rulebook(self.village, year))
        return EntryForm(
            data,
            files,
            households=households.order_by("number"),
            items=items,
            initial={"key": uuid.uuid4().hex},
        )

    def get(self, request, village):
        return self._render(self._form())

    def _render(self, form, status=200):
        return render(
            request=self.request,
            template_name="points/entry_form.html",
            context=self.get_context_data(form=form),
            status=status,
        )

    def post(self, request, village):
        form = self._form(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(form, status=400)
        data = form.cleaned_data
        try:
            photos = [photo_prepare(f) for f in data["photos"]]
            entry = entry_record(
                village=self.village,
                household=data["household"],
                item=data["item"],
                points=data["points"],
                occurred_on=data["occurred_on"],
                note=data["note"],
                by=request.user,
                key=data["key"],
                photos=photos,
            )
        except PointsError as error:
            for message in _errors(error):
                form.add_error(None, message)
            return self._render(form, status=400)
        messages.success(
            request,
            _("Recorded for household %(number)s; it waits for the committee's review.")
            % {"number": entry.household.number},
        )
        return redirect("points:entry_new", village=self.village.slug)


class ReviewQueueView(VillageMixin, View):
    permission_required = "points.view_review_queue"

    def get(self, request, village):
        context = self.get_context_data(
            can_review=request.user.has_perm("points.review_entries", self.village),
            entries=selectors.review_queue(self.village),
            appeals=selectors.open_appeals(self.village),
            reason_form=OptionalReasonForm(),
            decision_form=AppealDecisionForm(),
        )
        return render(request, "points/review_queue.html", context)


class EntryReviewView(VillageMixin, View):
    permission_required = "points.review_entries"

    def post(self, request, village, pk):
        entry = get_object_or_404(Entry, pk=pk, village=self.village)
        form = OptionalReasonForm(request.POST)
        action = request.POST.get("action")
        if not form.is_valid() or action not in ("approve", "reject"):
            messages.error(request, _("Choose approve or reject."))
            return redirect("points:review", village=self.village.slug)
        try:
            if action == "approve":
                entry_approve(
                    entry=entry, by=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(
                    request, _("Approved: the entry is now in public notice.")
                )
            else:
                entry_reject(
                    entry=entry, by=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("Rejected."))
        except PointsError as error:
            for message in _errors(error):
                messages.error(request, message)
        return redirect("points:review", village=self.village.slug)


class EntryReverseView(VillageMixin, View):
    permission_required = "points.review_entries"

    def post(self, request, village, pk):
        entry = get_object_or_404(
            Entry.objects.select_related("household"), pk=pk, village=self.village
        )
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a reason for the reversal."))
        else:
            try:
                entry_reverse(
                    entry=entry, by=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(
                    request, _("Reversed: a correcting entry was added to the ledger.")
                )
            except PointsError as error:
                for message in _errors(error):
                    messages.error(request, message)
        return redirect(
            "points:household", village=self.village.slug, number=entry.household.number
        )


class AppealCreateView(VillageMixin, View):
    permission_required = "points.view_points"

    def _entry(self, pk):
        entry = get_object_or_404(
            Entry.objects.select_related("household", "item"),
            pk=pk,
            village=self.village,
        )
        if not self.membership or self.membership.household_id != entry.household_id:
            raise PermissionDenied
        return entry

    def get(self, request, village, pk):
        entry = self._entry(pk)
        return render(
            request,
            "points/appeal_form.html",
            self.get_context_data(entry=entry, form=ReasonForm()),
        )

    def post(self, request, village, pk):
        entry = self._entry(pk)
        form = ReasonForm(request.POST)
        if form.is_valid():
            try:
                appeal_file(
                    entry=entry, by=request.user, reason=form.cleaned_data["reason"]
                )
            except PointsError as error:
                for message in _errors(error):
                    form.add_error(None, message)
            else:
                messages.success(
                    request, _("Your appeal is filed; the committee will decide.")
                )
                return redirect(
                    "points:household",
                    village=self.village.slug,
                    number=entry.household.number,
                )
        return render(
            request,
            "points/appeal_form.html",
            self.get_context_data(entry=entry, form=form),
            status=400,
        )


class AppealDecideView(VillageMixin, View):
    permission_required = "points.review_entries"

    def post(self, request, village, pk):
        appeal = get_object_or_404(Appeal, pk=pk, entry__village=self.village)
        form = AppealDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a decision and give a reason."))
        else:
            try:
                appeal_decide(
                    appeal=appeal,
                    by=request.user,
                    reverse_entry=form.cleaned_data["decision"] == "reverse",
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("The appeal is decided."))
            except PointsError as error:
                for message in _errors(error):
                    messages.error(request, message)
        return redirect("points:review", village=self.village.slug)


class EvidencePhotoView(VillageMixin, View):
    """Evidence photos are for the people who may see the household's entries."""

    permission_required = "points.view_points"

    def get(self, request, village, pk):
        photo = get_object_or_404(
            EntryPhoto.objects.select_related("entry__household__village"),
            pk=pk,
            entry__household__village=self.village,
        )
        if not request.user.has_perm("points.view_household", photo.entry.household):
            raise PermissionDenied
        return private_image_response(photo.image)


class HouseholdView(VillageMixin, View):
    permission_required = "points.view_points"

    def get(self, request, village, number):
        household = get_object_or_404(Household, village=self.village, number=number)
        if not request.user.has_perm("points.view_household", household):
            raise PermissionDenied
        today = timezone.localdate()
        year = today.year
        monthly = selectors.household_monthly_scores(household, year)
        scores = selectors.period_scores(
            self.village, dt.date(year, 1, 1), dt.date(year, 12, 31)
        )
        score = scores.get(household.pk, 0)
        all_scores = selectors.with_zeros(self.village, scores)
        entries = list(selectors.household_entries(household))
        is_own = bool(self.membership and self.membership.household_id == household.pk)
        context = self.get_context_data(
            household=household,
            entries=entries,
            balance=selectors.household_balance(household),
            score=score,
            year=year,
            now=timezone.now(),
            is_own=is_own,
            can_review=request.user.has_perm("points.review_entries", self.village),
            monthly_chart=charts.monthly_bars(
                monthly,
                [str(m) for m in range(1, 13)],
                _("Score by month in %(year)s") % {"year": year},
            ),
            distribution_chart=charts.distribution(
                all_scores,
                _("Where this household stands in the village"),
                mine=score,
            ),
            standing=selectors.standing(all_scores, score),
            credit=selectors.household_credit(household, timezone.now()),
            reason_form=ReasonForm(),
        )
        return render(request, "points/household.html", context)


def household_url(household) -> str:
    return reverse(
        "points:household",
        kwargs={"village": household.village.slug, "number": household.number},
    )

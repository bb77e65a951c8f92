"""Meetings, progress updates and ratings."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from deliberation.forms import MeetingForm, ProgressForm, RatingForm
from deliberation.services import followup
from deliberation.views.base import DeliberationView, error_text


class MeetingCreateView(DeliberationView):
    def get(self, request, village, pk):
        topic = self.topic(pk)
        self.require("deliberation.record_meeting", topic)
        return self.form_page(
            "deliberation/meeting_form.html", topic=topic, form=MeetingForm()
        )

    def post(self, request, village, pk):
        topic = self.topic(pk)
        self.require("deliberation.record_meeting", topic)
        form = MeetingForm(request.POST)
        if form.is_valid():
            try:
                followup.meeting_record(
                    topic=topic, by=request.user, **form.cleaned_data
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                return redirect(topic.get_absolute_url() + "#meetings")
        return self.form_page(
            "deliberation/meeting_form.html", topic=topic, form=form, status=400
        )


class ProgressCreateView(DeliberationView):
    def get(self, request, village, pk):
        topic = self.topic(pk)
        self.require("deliberation.add_progress", topic)
        return self.form_page(
            "deliberation/progress_form.html", topic=topic, form=ProgressForm()
        )

    def post(self, request, village, pk):
        topic = self.topic(pk)
        self.require("deliberation.add_progress", topic)
        form = ProgressForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                followup.progress_add(topic=topic, by=request.user, **form.cleaned_data)
            except ValidationError as e:
                form.add_error(None, e)
            else:
                return redirect(topic.get_absolute_url() + "#progress")
        return self.form_page(
            "deliberation/progress_form.html", topic=topic, form=form, status=400
        )


class RatingView(DeliberationView):
    def post(self, request, village, pk):
        topic = self.topic(pk)
        self.require("deliberation.rate", topic)
        form = RatingForm(request.POST)
        if not form.is_valid():
            return self.refuse(
                " ".join(str(m) for errs in form.errors.values() for m in errs),
                back=topic.get_absolute_url(),
            )
        try:
            followup.rating_add(topic=topic, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            return self.refuse(error_text(e), back=topic.get_absolute_url())
        return redirect(topic.get_absolute_url() + "#ratings")

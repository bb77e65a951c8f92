"""Forms parse and check input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from points.models import PointsSettings, RuleItem
from villages.models import Household


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class EntryForm(forms.Form):
    household = forms.ModelChoiceField(
        label=_("Household"), queryset=Household.objects.none()
    )
    item = forms.ModelChoiceField(label=_("Item"), queryset=RuleItem.objects.none())
    points = forms.IntegerField(
        label=_("Points"),
        required=False,
        min_value=-1000,
        max_value=1000,
        help_text=_("Leave empty for the item's points."),
    )
    occurred_on = forms.DateField(
        label=_("Date"),
        # A date input reads only ISO dates; Chinese formats would leave it empty.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photos = MultipleImageField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, households, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        self.fields["item"].queryset = items
        self.fields["item"].label_from_instance = lambda i: (
            f"{i.category.name} · {i.name} ({i.points:+d})"
        )
        self.fields["occurred_on"].initial = timezone.localdate()

    def clean_photos(self):
        from points.images import MAX_PHOTOS

        photos = self.cleaned_data["photos"]
        if len(photos) > MAX_PHOTOS:
            raise forms.ValidationError(
                _("At most %(count)s photos.") % {"count": MAX_PHOTOS}
            )
        return photos


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AppealDecisionForm(ReasonForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("uphold", _("Uphold the entry")),
            ("reverse", _("Reverse the entry")),
        ],
        widget=forms.RadioSelect,
    )


class ListDraftForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[
            ("month", _("month")),
            ("quarter", _("quarter")),
            ("year", _("year")),
        ],
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label=_("Month or quarter"),
        required=False,
        min_value=1,
        max_value=12,
        help_text=_("1–12 for a month, 1–4 for a quarter; empty for a year."),
    )

    def clean(self):
        data = super().clean()
        period, number = data.get("period"), data.get("number")
        if period == "month" and not number:
            raise forms.ValidationError(_("Choose the month."))
        if period == "quarter" and not (number and number <= 4):
            raise forms.ValidationError(_("Choose a quarter from 1 to 4."))
        return data


class RepairTaskForm(forms.Form):
    description = forms.CharField(label=_("Task"), max_length=200)
    hours = forms.IntegerField(
        label=_("Volunteer hours"), required=False, min_value=1, max_value=500
    )


class CatalogueUploadForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    file = forms.FileField(label=_("Excel file (.xlsx)"))
    adopted_by = forms.CharField(
        label=_("Adopted by (meeting)"),
        required=False,
        max_length=200,
        help_text=_("e.g. 村民代表会议"),
    )
    adopted_on = forms.DateField(
        label=_("Adopted on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    minutes = forms.FileField(label=_("Minutes (PDF or photo)"), required=False)

    def clean_minutes(self):
        minutes = self.cleaned_data.get("minutes")
        if not minutes:
            return None
        if minutes.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file may be at most 10 MB."))
        from villages.uploads import document_check

        head = minutes.read(8)
        minutes.seek(0)
        if not head.startswith((b"%PDF", b"\xff\xd8\xff", b"\x89PNG")):
            raise forms.ValidationError(
                _("The minutes must be a PDF, JPEG or PNG file.")
            )
        # By content too: a picture that decodes at a sane size, a PDF that is not
        # a web page; a photo re-encoded without location, camera or comments.
        return document_check(
            minutes,
            extensions={"pdf", "jpg", "jpeg", "png"},
            max_bytes=10 * 1024 * 1024,
        )


class PointsSettingsForm(forms.ModelForm):
    class Meta:
        model = PointsSettings
        fields = [
            "notice_days",
            "objection_days",
            "red_percent",
            "black_percent",
            "red_privacy",
            "black_privacy",
            "black_display_days",
            "annual_budget",
        ]

    def clean(self):
        data = super().clean()
        for name in ("red_percent", "black_percent"):
            if (data.get(name) or 0) > 50:
                self.add_error(name, _("At most 50%."))
        for name in ("notice_days", "objection_days", "black_display_days"):
            value = data.get(name)
            if value is not None and not 1 <= value <= 365:
                self.add_error(name, _("Between 1 and 365 days."))
        return data

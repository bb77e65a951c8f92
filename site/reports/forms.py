"""Forms: plain HTML that works without JavaScript on a cheap phone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from points.images import photo_prepare
from reports.models import ANSWER_MAX, NOTE_MAX, TEXT_MAX, Kind, Rating
from reports.services import MAX_PHOTOS

PHOTO_ACCEPT = "image/jpeg,image/png,image/webp,image/gif"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to MAX_PHOTOS pictures, each checked by its content and shrunk."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": PHOTO_ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data or []) if f] if isinstance(data, list) else []
        if data and not isinstance(data, list):
            files = [data]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(
                _("At most %(count)s photos per report.") % {"count": MAX_PHOTOS}
            )
        checked = []
        for upload in files:
            try:
                checked.append(photo_prepare(upload))
            except ValidationError as error:
                raise ValidationError(
                    _("%(name)s: %(problem)s")
                    % {"name": upload.name[:60], "problem": " ".join(error.messages)}
                ) from None
        return checked


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it about?"), choices=Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("What happened?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Please say in a few words what happened.")},
    )
    photos = PhotosField(
        label=_("Photos (up to %(count)s)") % {"count": MAX_PHOTOS},
    )
    place = forms.CharField(
        label=_("Where is the problem? (optional)"),
        max_length=200,
        required=False,
        help_text=_(
            "Where the problem is, for example: the bridge at the east end of the "
            "village. If neighbours may see the report, they see this too."
        ),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=Decimal(-90),
        max_value=Decimal(90),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=Decimal(-180),
        max_value=Decimal(180),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    is_public = forms.BooleanField(
        label=_("Neighbours may see it (without my name or phone)"),
        required=False,
        help_text=_(
            "Neighbours then see what kind of report it is, what you wrote, the "
            "place you typed and the photos; never your name, phone or grid. "
            "Others with the same problem can add “me too” instead of filing again."
        ),
    )

    def clean_latitude(self):
        return _round(self.cleaned_data.get("latitude"))

    def clean_longitude(self):
        return _round(self.cleaned_data.get("longitude"))

    def clean(self):
        data = super().clean()
        one_missing = (data.get("latitude") is None) != (data.get("longitude") is None)
        if one_missing and not (
            self.has_error("latitude") or self.has_error("longitude")
        ):
            raise ValidationError(_("Give both latitude and longitude, or neither."))
        return data


def _round(value: Decimal | None) -> Decimal | None:
    return value.quantize(Decimal("0.000001")) if value is not None else None


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Assign to"))
    due_on = forms.DateField(
        label=_("Due"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Note for the handler"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, people=(), departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(m.user_id): m.user for m in people}
        self.departments = {str(d.pk): d for d in departments}
        self.fields["assignee"].choices = [
            ("", "—"),
            (
                _("People"),
                [
                    (
                        f"u{m.user_id}",
                        f"{m.user} · {_role_word(m)}",
                    )
                    for m in people
                ],
            ),
            (
                _("Departments"),
                [(f"d{d.pk}", d.name) for d in departments],
            ),
        ]

    def clean_due_on(self):
        due = self.cleaned_data["due_on"]
        if due < timezone.localdate():
            raise ValidationError(_("The due date cannot be in the past."))
        if due > timezone.localdate() + dt.timedelta(days=366):
            raise ValidationError(_("The due date is more than a year away."))
        return due

    def target(self) -> tuple:
        """(person, department): one of them."""
        value = self.cleaned_data["assignee"]
        if value.startswith("u"):
            return self.people[value[1:]], None
        return None, self.departments[value[1:]]


def _role_word(membership) -> str:
    return str(_("committee") if membership.is_committee else _("grid worker"))


class ProgressForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please write what was done.")},
    )


class ChaseForm(forms.Form):
    note = forms.CharField(
        label=_("Message to the handler (optional)"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CloseForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the filer"),
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Please write the answer to the filer.")},
    )


class RateForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("How was it handled?"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose satisfied, basically satisfied or dissatisfied.")
        },
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EscalateForm(forms.Form):
    note = forms.CharField(
        label=_("Why the village cannot settle it"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please say why the village cannot settle it.")},
    )


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("Department"), max_length=60)


class SettingsForm(forms.Form):
    due_days = forms.IntegerField(
        label=_("Days to handle a report"), min_value=1, max_value=365
    )
    topic_threshold = forms.IntegerField(
        label=_("“Me too” needed to make a suggestion a topic"),
        min_value=1,
        max_value=1000,
    )
    remind_every_days = forms.IntegerField(
        label=_("Remind the handler again every … days while a report is overdue"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("Leave empty to remind once for each due date."),
    )


class AwardForm(forms.Form):
    item = forms.ChoiceField(label=_("Points rule"))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {str(i.pk): i for i in items}
        self.fields["item"].choices = [
            (str(i.pk), f"{i.code} {i.name} (+{i.points})") for i in items
        ]

    def chosen(self):
        return self.items[self.cleaned_data["item"]]

"""Forms: parse and check input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from deliberation.models import (
    Electorate,
    Meeting,
    Phase,
    QuorumRule,
    Vote,
    VoteKind,
)
from deliberation.models.comments import COMMENT_MAX
from deliberation.selectors import eligible_memberships

PHOTO_TYPES = (".jpg", ".jpeg", ".png", ".webp")
ATTACHMENT_TYPES = (*PHOTO_TYPES, ".pdf", ".doc", ".docx", ".xls", ".xlsx")
UPLOAD_MAX = 10 * 1024 * 1024


def _check_upload(upload, allowed):
    """Checked by content: a photo is decoded and saved again as a fresh JPEG
    (which also drops its location data); a document must be what its name says."""
    from points.images import photo_prepare
    from villages.uploads import document_check

    if upload is None:
        return upload
    if not upload.name.lower().endswith(allowed):
        raise forms.ValidationError(_("This kind of file cannot be attached."))
    if upload.size > UPLOAD_MAX:
        raise forms.ValidationError(_("The file is larger than 10 MB."))
    if upload.name.lower().endswith(PHOTO_TYPES):
        return photo_prepare(upload).file
    document_check(
        upload,
        extensions={t.lstrip(".") for t in allowed if t not in PHOTO_TYPES},
        max_bytes=UPLOAD_MAX,
    )
    return upload


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    collecting_until = forms.DateField(
        label=_("Opinions collected until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    attachment = forms.FileField(label=_("Photo or attachment"), required=False)
    caption = forms.CharField(label=_("Caption"), max_length=120, required=False)

    def clean_attachment(self):
        return _check_upload(self.cleaned_data.get("attachment"), ATTACHMENT_TYPES)


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("What should be done, and why"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class AnswerForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("1", _("Put it on the agenda")), ("0", _("Do not take it up"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Reason (shown to everyone)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(
        label=_("Move to phase"),
        choices=[
            (p.value, p.label)
            for p in Phase
            if p not in (Phase.PROPOSED, Phase.DECLINED)
        ],
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PhaseDatesForm(forms.Form):
    """Planned dates for each step of the timeline (决策共谋 → 成果共享)."""

    def __init__(self, *args, **kwargs):
        from deliberation.models.topics import TIMELINE

        super().__init__(*args, **kwargs)
        self.phases = list(TIMELINE)
        for phase in self.phases:
            label = Phase(phase).label
            for end, text in (
                ("start", _("%(phase)s: from")),
                ("end", _("%(phase)s: until")),
            ):
                self.fields[f"{phase}_{end}"] = forms.DateField(
                    label=text % {"phase": label},
                    required=False,
                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                )

    def clean(self):
        data = super().clean()
        for phase in self.phases:
            start, end = data.get(f"{phase}_start"), data.get(f"{phase}_end")
            if start and end and end < start:
                self.add_error(f"{phase}_end", _("The end is before the start."))
        return data

    def dates(self) -> dict:
        data = self.cleaned_data
        return {
            phase: (data.get(f"{phase}_start"), data.get(f"{phase}_end"))
            for phase in self.phases
        }


class DecisionForm(forms.Form):
    decision = forms.CharField(
        label=_("Decision"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX}),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown in place of the comment)"), max_length=200
    )


class VoteForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=VoteKind.choices)
    options = forms.CharField(
        label=_("Options, one per line (not needed for yes / no / abstain)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    max_choices = forms.IntegerField(
        label=_("At most this many choices"), min_value=1, max_value=50, initial=1
    )
    electorate = forms.ChoiceField(label=_("Who may vote"), choices=Electorate.choices)
    rule = forms.ChoiceField(label=_("Held as"), choices=QuorumRule.choices)
    opens_at = forms.DateTimeField(
        label=_("Opens"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    results_live = forms.BooleanField(
        label=_("Show results while voting is open"), required=False
    )
    is_secret = forms.BooleanField(
        label=_("Secret ballot"), required=False, initial=True
    )

    def clean(self):
        data = super().clean()
        data["option_list"] = [
            line.strip()
            for line in data.get("options", "").splitlines()
            if line.strip()
        ]
        if len(data["option_list"]) > 50:
            raise forms.ValidationError(_("At most 50 options."))
        return data


class VoteSettingsForm(forms.ModelForm):
    """What may still change: everything before voting starts, then only a later close."""

    class Meta:
        model = Vote
        fields = ["question", "opens_at", "closes_at", "results_live", "is_secret"]
        widgets = {
            "opens_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }


class BallotForm(forms.Form):
    receipt = forms.CharField(
        label=_("Receipt code (only to change a ballot cast on another phone)"),
        required=False,
        max_length=40,
    )
    # Off by default: a receipt kept on the phone lets whoever picks the phone
    # up change the ballot, and so see (and undo) how its owner voted.
    keep_receipt = forms.BooleanField(
        label=_("Remember my receipt code on this phone"),
        required=False,
        initial=False,
    )

    def __init__(self, *args, vote: Vote, **kwargs):
        super().__init__(*args, **kwargs)
        self.vote = vote
        if not vote.is_secret:
            del self.fields["keep_receipt"]
        choices = [(o.pk, o.display) for o in vote.options.all()]
        if vote.kind == VoteKind.MULTIPLE:
            field = forms.TypedMultipleChoiceField(
                label=vote.question,
                choices=choices,
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Choose up to %(max)d.") % {"max": vote.max_choices},
            )
        else:
            field = forms.TypedChoiceField(
                label=vote.question,
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.fields = {"choice": field, **self.fields}

    def clean_choice(self):
        choice = self.cleaned_data["choice"]
        chosen = choice if isinstance(choice, list) else [choice]
        if len(chosen) > self.vote.max_choices:
            raise forms.ValidationError(
                _("Choose at most %(max)d options.") % {"max": self.vote.max_choices}
            )
        return chosen


class PaperBallotForm(BallotForm):
    consent_note = forms.CharField(
        label=_("How the resident gave consent"),
        max_length=300,
        help_text=_("For example: asked at home on 3 December, signed the paper form."),
    )

    def __init__(self, *args, vote: Vote, **kwargs):
        super().__init__(*args, vote=vote, **kwargs)
        del self.fields["receipt"]
        self.fields.pop("keep_receipt", None)
        people = eligible_memberships(vote).select_related("user", "household")
        self.people = {str(m.user_id): m.user for m in people}
        self.fields["voter"] = forms.ChoiceField(
            label=_("Voter"),
            choices=[("", "—")]
            + [
                (str(m.user_id), f"{m.user} · {m.household or ''}".strip(" ·"))
                for m in people
            ],
        )
        self.order_fields(["voter", "choice", "consent_note"])

    def clean_voter(self):
        return self.people[self.cleaned_data["voter"]]


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    held_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(label=_("Place"), max_length=120)
    attendance = forms.IntegerField(label=_("Attended"), min_value=0, max_value=100000)
    required = forms.IntegerField(
        label=_("Needed for quorum"), min_value=0, max_value=100000
    )
    minutes = forms.CharField(
        label=_("Minutes"), max_length=20000, widget=forms.Textarea
    )
    decision = forms.CharField(
        label=_("Decision"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    publish_decision = forms.BooleanField(
        label=_("Publish the decision on the topic"), required=False
    )


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("Percent done"), min_value=0, max_value=100)
    text = forms.CharField(
        label=_("What happened"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photo = forms.FileField(label=_("Photo"), required=False)

    def clean_photo(self):
        return _check_upload(self.cleaned_data.get("photo"), PHOTO_TYPES)


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[(i, "★" * i) for i in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import Channel, Delivery, Kind
from notifications.selectors import INBOX_ORDER_NEWEST, INBOX_ORDER_UNREAD


class InboxFilterForm(forms.Form):
    """GET filters for the inbox; an invalid value just means "no filter"."""

    kind = forms.ChoiceField(
        label=_("Show"),
        choices=[("", _("All kinds")), *Kind.choices],
        required=False,
    )
    order = forms.ChoiceField(
        label=_("Order"),
        choices=[
            (INBOX_ORDER_NEWEST, _("Newest first")),
            (INBOX_ORDER_UNREAD, _("Unread first")),
        ],
        required=False,
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"kind": "", "order": INBOX_ORDER_NEWEST}
        return {
            "kind": self.cleaned_data["kind"],
            "order": self.cleaned_data["order"] or INBOX_ORDER_NEWEST,
        }


class PreferencesForm(forms.Form):
    """Per kind, how (delivery) and by what (channel) copies leave the inbox."""

    def __init__(self, *args, preferences: dict[str, tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for kind, label in Kind.choices:
            delivery, channel = preferences[kind]
            delivery_label = _("%(kind)s: when") % {"kind": label}
            channel_label = _("%(kind)s: by") % {"kind": label}
            self.fields[f"{kind}-delivery"] = forms.ChoiceField(
                label=delivery_label,
                choices=Delivery.choices,
                initial=delivery,
                widget=forms.Select(attrs={"aria-label": delivery_label}),
            )
            self.fields[f"{kind}-channel"] = forms.ChoiceField(
                label=channel_label,
                choices=Channel.choices,
                initial=channel,
                widget=forms.Select(attrs={"aria-label": channel_label}),
            )
            self.rows.append((label, self[f"{kind}-delivery"], self[f"{kind}-channel"]))

    def choices(self) -> dict[str, tuple[str, str]]:
        return {
            kind: (
                self.cleaned_data[f"{kind}-delivery"],
                self.cleaned_data[f"{kind}-channel"],
            )
            for kind in Kind.values
        }

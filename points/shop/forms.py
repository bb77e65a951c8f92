from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from points.shop.models import Period, Product, Shop, ShopSettings

# First parts of the shop's own URLs (points/shop/urls.py): a shop cannot be called so.
RESERVED_SLUGS = {"vouchers", "card", "statements", "manage"}

WEEKDAY_CHOICES = [
    ("1", _("Monday")),
    ("2", _("Tuesday")),
    ("3", _("Wednesday")),
    ("4", _("Thursday")),
    ("5", _("Friday")),
    ("6", _("Saturday")),
    ("7", _("Sunday")),
]


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ShopSettings
        fields = [
            "yuan_per_point",
            "voucher_hours",
            "card_daily_cap",
            "card_pin_attempts",
        ]

    def clean_voucher_hours(self):
        hours = self.cleaned_data["voucher_hours"]
        if hours is not None and not 1 <= hours <= 72:
            raise forms.ValidationError(_("Between 1 and 72 hours, or empty."))
        return hours


class PeopleField(forms.ModelMultipleChoiceField):
    """Refuses an id no column can hold before asking the database: SQLite
    raises OverflowError on a lookup beyond 64 bits instead of finding nothing."""

    def _check_values(self, value):
        for pk in value or ():
            try:
                number = int(str(pk))
            except ValueError:
                continue  # the parent refuses it as not an id
            if not -(2**63) <= number < 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class ShopForm(forms.ModelForm):
    shopkeepers = PeopleField(
        label=_("Shopkeepers"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Shop
        fields = ["name", "slug", "address", "is_active"]

    def __init__(self, *args, village, **kwargs):
        super().__init__(*args, **kwargs)
        self.village = village
        self.fields["shopkeepers"].queryset = (
            get_user_model()
            .objects.filter(
                memberships__village=village,
                memberships__is_shopkeeper=True,
                memberships__left_at__isnull=True,
            )
            .distinct()
            .order_by("name")
        )
        self.fields["shopkeepers"].label_from_instance = lambda u: u.name or str(u)
        if self.instance.pk:
            self.fields["shopkeepers"].initial = list(self.instance.shopkeepers.all())

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(
                _("This name is used by the site. Choose another.")
            )
        taken = Shop.objects.filter(village=self.village, slug=slug).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            raise forms.ValidationError(_("Another shop of the village uses this."))
        return slug


class ProductForm(forms.ModelForm):
    weekdays = forms.MultipleChoiceField(
        label=_("Redemption days"),
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    photo_upload = forms.FileField(label=_("Photo"), required=False)

    class Meta:
        model = Product
        fields = ["name", "points", "limit_quantity", "limit_period", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["limit_period"].choices = Period.choices
        self.fields["weekdays"].initial = list(
            self.instance.weekdays if self.instance.pk else "1234567"
        )
        if not self.instance.pk:
            self.fields["stock"] = forms.IntegerField(
                label=_("Stock"), min_value=0, max_value=100000, initial=0
            )

    def clean_points(self):
        points = self.cleaned_data["points"]
        if not 1 <= points <= 100000:
            raise forms.ValidationError(_("Between 1 and 100,000 points."))
        return points

    def clean_weekdays(self):
        return "".join(sorted(set(self.cleaned_data["weekdays"])))


class StockForm(forms.Form):
    delta = forms.IntegerField(
        label=_("Change (+ arrived, − written off)"),
        min_value=-100000,
        max_value=100000,
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Numeric code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9 ]*"}
        ),
    )


class CardIssueForm(forms.Form):
    pin = forms.CharField(
        label=_("PIN (4 to 6 digits)"),
        max_length=6,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric"}),
    )
    pin_again = forms.CharField(
        label=_("PIN again"),
        max_length=6,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("pin") != data.get("pin_again"):
            raise forms.ValidationError(_("The two PINs differ."))
        return data


class SettleForm(forms.Form):
    note = forms.CharField(
        label=_("Note (e.g. how it was paid)"), max_length=200, required=False
    )

"""Forms that replace allauth's where villagers type differently.

Enabled in settings with ``ACCOUNT_FORMS = {"confirm_login_code":
"accounts.forms.ConfirmLoginCodeForm"}``.
"""

import unicodedata

from allauth.account.forms import ConfirmLoginCodeForm as AllauthConfirmLoginCodeForm


class ConfirmLoginCodeForm(AllauthConfirmLoginCodeForm):
    """Accepts a code typed with full-width digits (a Chinese input method's
    default), which allauth's comparison would count as a wrong attempt."""

    def clean_code(self) -> str:
        self.cleaned_data["code"] = unicodedata.normalize(
            "NFKC", self.cleaned_data.get("code", "")
        )
        return super().clean_code()

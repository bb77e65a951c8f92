"""Forms that replace allauth's where villagers type differently.

Enabled in settings with ``ACCOUNT_FORMS`` (``confirm_login_code``,
``request_login_code``).
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from allauth.account.forms import ConfirmLoginCodeForm as AllauthConfirmLoginCodeForm
from allauth.account.forms import RequestLoginCodeForm as AllauthRequestLoginCodeForm
from allauth.core import context

from accounts.limits import limit_lifts_at


class ConfirmLoginCodeForm(AllauthConfirmLoginCodeForm):
    """Accepts a code typed with full-width digits (a Chinese input method's
    default), which allauth's comparison would count as a wrong attempt."""

    def clean_code(self) -> str:
        self.cleaned_data["code"] = unicodedata.normalize(
            "NFKC", self.cleaned_data.get("code", "")
        )
        return super().clean_code()


class RequestLoginCodeForm(AllauthRequestLoginCodeForm):
    """Asking for too many codes is said as such, with the time a new one can be
    asked for (allauth's own words are "too many failed login attempts")."""

    def clean_phone(self) -> str:
        try:
            return super().clean_phone()
        except ValidationError as error:
            if error.code != "too_many_login_attempts":
                raise
            phone = self.cleaned_data.get("phone", "")
            raise ValidationError(
                _(
                    "This number has asked for too many codes. A new code can be "
                    "asked for at %(time)s."
                ),
                code="too_many_codes",
                params={
                    "time": limit_lifts_at(
                        context.request, action="request_login_code", key=phone.lower()
                    )
                },
            ) from error

"""Forms that replace allauth's where villagers type differently.

Enabled in settings with ``ACCOUNT_FORMS`` (``confirm_login_code``,
``request_login_code``).
"""

import unicodedata
from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from allauth.account.forms import ConfirmLoginCodeForm as AllauthConfirmLoginCodeForm
from allauth.account.forms import RequestLoginCodeForm as AllauthRequestLoginCodeForm
from allauth.core import context
from allauth.core.internal import ratelimit as ratelimit_internal


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
            moment = datetime.fromtimestamp(
                code_requests_allowed_at(phone), tz=timezone.get_current_timezone()
            )
            raise ValidationError(
                _(
                    "This number has asked for too many codes. A new code can be "
                    "asked for at %(time)s."
                ),
                code="too_many_codes",
                params={"time": date_format(moment, "H:i")},
            ) from error


def code_requests_allowed_at(phone: str) -> float:
    """When ``phone`` may next ask for a code: the moment the oldest of the
    requests that fill each per-number window leaves it (allauth keeps each
    window's request times in the cache, newest first)."""
    request = context.request
    now = ratelimit_internal.time.time()
    allowed_at = now
    for rate in ratelimit_internal.get_rates(
        app="allauth.account", action="request_login_code"
    ):
        if rate.per != "key":
            continue
        key = ratelimit_internal.get_cache_key(
            request,
            app="allauth.account",
            action="request_login_code",
            rate=rate,
            key=phone.lower(),
        )
        history = [t for t in cache.get(key, []) if t > now - rate.duration]
        if len(history) >= rate.amount:
            allowed_at = max(allowed_at, history[rate.amount - 1] + rate.duration)
    # Round up to the next whole minute: "at 09:31" must not be a minute early.
    return float(-(-allowed_at // 60) * 60)

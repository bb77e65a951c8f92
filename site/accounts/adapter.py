"""django-allauth adapter: phone numbers live on our User, texts go through accounts.sms."""

from __future__ import annotations

import contextlib

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.fields import PhoneField
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse

from accounts.limits import limit_lifts_at
from accounts.models import User
from accounts.phones import normalize_phone
from accounts.sms import SmsError, send_sms

# Six digits, no dash: typed on a numeric keypad, read aloud over the phone.
PHONE_CODE_LENGTH = 6


class ChinesePhoneField(PhoneField):
    """A phone field that takes numbers the way people type them in China."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("validators", [])
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "type": "tel",
                    "autocomplete": "tel",
                    "inputmode": "tel",
                    "placeholder": _("e.g. 138 0013 8000"),
                }
            ),
        )
        kwargs.setdefault("label", _("Mobile number"))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = forms.CharField.clean(self, value)
        if not value:
            return value
        try:
            return normalize_phone(value, mobile=True)
        except ValidationError as error:
            # A landline that a roster holds still logs in with its password; one
            # that nobody has is most likely a slip: say it is not a mobile number.
            if error.code != "not_mobile":
                raise
            e164 = normalize_phone(value)
            if User.objects.filter(phone=e164, is_active=True).exists():
                return e164
            raise


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "unknown_phone": _(
            "This number is not registered in any village. Ask your village "
            "committee to add you to the roster."
        ),
        "phone_password_mismatch": _("The mobile number or the password is wrong."),
        "sms_failed": _("The text message could not be sent. Please try again later."),
    }

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials):
        # allauth keys failed logins by e-mail or username only: with phone logins
        # every number shared one empty key, and five typos anywhere locked every
        # password login. Key them by the number, as typed numbers normalise.
        phone = credentials.get("phone")
        if not phone:
            return super()._get_login_attempts_cache_key(request, **credentials)
        with contextlib.suppress(ValidationError):
            phone = normalize_phone(phone)
        return f"phone:{phone}"

    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError as error:
            if error.code != "too_many_login_attempts":
                raise
            lifts = limit_lifts_at(
                request,
                action="login_failed",
                key=self._get_login_attempts_cache_key(request, **credentials),
            )
            raise forms.ValidationError(
                _(
                    "Too many wrong passwords for this number. Try again at "
                    "%(time)s, or log in with a code by text message."
                ),
                code="too_many_login_attempts",
                params={"time": lifts},
            ) from error

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # People join through their village's roster (or the committee's invitation).
        return False

    def phone_form_field(self, **kwargs):
        return ChinesePhoneField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        try:
            return normalize_phone(phone)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc

    def set_phone(self, user: User, phone: str, verified: bool) -> None:
        user.phone = phone
        user.phone_verified = verified
        user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user: User) -> tuple[str, bool] | None:
        if not user.phone:
            return None
        return user.phone, user.phone_verified

    def set_phone_verified(self, user: User, phone: str) -> None:
        updated = User.objects.filter(pk=user.pk, phone=phone).update(
            phone_verified=True
        )
        # allauth goes on with this same object (its phone verification stage
        # reads it right after a code login): keep it in step with the database,
        # or the person is sent a second, needless code.
        if updated and user.phone == phone:
            user.phone_verified = True

    def get_user_by_phone(self, phone: str) -> User | None:
        try:
            phone = normalize_phone(phone)
        except ValidationError:
            return None
        return User.objects.filter(phone=phone, is_active=True).first()

    def generate_phone_verification_code(self, *, user: User, phone: str) -> str:
        # Remember the code already pending for this login (a resend replaces
        # it before sending), so that a failed resend can put it back.
        # (allauth may generate twice in one request: the first code pending
        # is the one the person holds.)
        request = context.request
        pending = _pending_login_code(request)
        if pending is not None and not hasattr(request, "_login_code_before"):
            request._login_code_before = pending.get("code")
        return get_random_string(PHONE_CODE_LENGTH, allowed_chars="0123456789")

    def send_verification_code_sms(
        self, user: User, phone: str, code: str, **kwargs
    ) -> None:
        # A code is sent while the person waits for it, so it goes out now rather
        # than through the background queue. The same text serves login codes and
        # phone verification, so it promises the shorter of the two lifetimes.
        minutes = (
            min(
                allauth_settings.LOGIN_BY_CODE_TIMEOUT,
                allauth_settings.PHONE_VERIFICATION_TIMEOUT,
            )
            // 60
        )
        text = ngettext(
            "Your Xiangyue code is %(code)s. It is valid for %(minutes)d minute. "
            "Do not tell it to anyone.",
            "Your Xiangyue code is %(code)s. It is valid for %(minutes)d minutes. "
            "Do not tell it to anyone.",
            minutes,
        ) % {"code": code, "minutes": minutes}
        try:
            send_sms(phone=phone, text=text)
        except SmsError as exc:
            # allauth's views do not expect this method to fail. The person is
            # sent back to the page they came from, told plainly, and can ask
            # again; send_sms has logged the provider's answer. A resend has
            # already put its new code (never sent) into the pending login, which
            # the session keeps now that messages live in it: the code the person
            # holds goes back in.
            request = context.request
            pending = _pending_login_code(request)
            before = getattr(request, "_login_code_before", None)
            if pending is not None and before:
                pending["code"] = before
                request.session.modified = True
            self.add_message(
                request, messages.ERROR, message=self.error_messages["sms_failed"]
            )
            raise ImmediateHttpResponse(
                HttpResponseRedirect(request.get_full_path())
            ) from exc


def _pending_login_code(request: HttpRequest | None) -> dict | None:
    """The data of allauth's pending login by code, as the session holds it."""
    if request is None or not hasattr(request, "session"):
        return None
    stash = request.session.get("account_login") or {}
    stages = (stash.get("state") or {}).get("stages") or {}
    data = (stages.get("login_by_code") or {}).get("data")
    return data if isinstance(data, dict) else None

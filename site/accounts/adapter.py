"""django-allauth adapter: phone numbers live on our User, texts go through accounts.sms."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.fields import PhoneField
from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.phones import normalize_phone
from accounts.sms import send_sms


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
        return normalize_phone(value)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "unknown_phone": _(
            "This number is not registered in any village. Ask your village "
            "committee to add you to the roster."
        ),
        "phone_password_mismatch": _("The mobile number or the password is wrong."),
    }

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
        User.objects.filter(pk=user.pk, phone=phone).update(phone_verified=True)

    def get_user_by_phone(self, phone: str) -> User | None:
        try:
            phone = normalize_phone(phone)
        except ValidationError:
            return None
        return User.objects.filter(phone=phone, is_active=True).first()

    def send_verification_code_sms(self, user: User, phone: str, code: str, **kwargs) -> None:
        # A login code is sent while the person waits for it, so it goes out now
        # rather than through the background queue.
        text = gettext(
            "Your Xiangyue login code is %(code)s. It is valid for 5 minutes. "
            "Do not tell it to anyone."
        ) % {"code": code}
        send_sms(phone=phone, text=text)

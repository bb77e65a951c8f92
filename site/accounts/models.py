from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.phones import display_phone


class User(AbstractUser):
    """A person. Villagers log in by phone; the username is only for the admin."""

    name = models.CharField(_("name"), max_length=60, blank=True)
    # E.164, e.g. +8613800138000; NULL for staff accounts without a phone.
    phone = models.CharField(
        _("phone"), max_length=20, unique=True, null=True, blank=True
    )
    phone_verified = models.BooleanField(_("phone verified"), default=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(phone__isnull=True)
                | models.Q(phone__startswith="+"),
                name="accounts_user_phone_e164",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("accounts:me")

    def get_full_name(self) -> str:
        """Wagtail's admin names people by this (who submitted, approved, edited);
        first and last names are unused here."""
        return self.name or super().get_full_name()

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        if self.phone:
            return display_phone(self.phone)
        return self.username

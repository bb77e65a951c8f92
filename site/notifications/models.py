from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notification is about; people choose delivery per kind."""

    ACCOUNT = "account", _("Account and village membership")
    NOTICE = "notice", _("Notices and disclosures")
    DELIBERATION = "deliberation", _("Topics, comments and votes")
    POINTS = "points", _("Integrity points")
    SHOP = "shop", _("Points shop")
    REPORTS = "reports", _("Reports and requests")


class Delivery(models.TextChoices):
    DIGEST = "digest", _("Daily digest")
    IMMEDIATE = "immediate", _("At once")
    INBOX = "inbox", _("Only in my inbox")


class Channel(models.TextChoices):
    SMS = "sms", _("Text message")
    EMAIL = "email", _("E-mail")


class Notification(models.Model):
    """One message in a person's in-site inbox; SMS and e-mail carry copies of it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    village = models.ForeignKey(
        "villages.Village",
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Set when a copy left by SMS or e-mail (at once or in a digest), so that a
    # retried task or a second digest run never sends it twice.
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["delivered_at", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """How one person wants one kind of notification delivered.

    No row means the default: a daily digest by text message.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.DIGEST
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.SMS
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notifications_pref_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}: {self.delivery}/{self.channel}"

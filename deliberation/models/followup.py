"""After the vote: the offline meeting, progress, and the residents' rating."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deliberation.models.topics import Topic


class Meeting(models.Model):
    """村民会议, 村民代表会议 or 协商会 held offline and recorded here."""

    class Kind(models.TextChoices):
        VILLAGERS = "villagers", _("villagers' meeting")
        REPRESENTATIVES = "representatives", _("villagers' representatives' meeting")
        CONSULTATION = "consultation", _("consultation meeting")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=120)
    attendance = models.PositiveIntegerField(_("attended"))
    required = models.PositiveIntegerField(_("needed for quorum"), default=0)
    minutes = models.TextField(_("minutes"), max_length=20000)
    decision = models.TextField(_("decision"), max_length=10000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"

    @property
    def quorate(self) -> bool:
        return self.attendance >= self.required


class ProgressUpdate(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="progress")
    percent = models.PositiveSmallIntegerField(_("percent done"))
    text = models.TextField(_("what happened"), max_length=4000)
    photo = models.FileField(
        _("photo"), upload_to="deliberation/progress/%Y/%m/", blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100), name="deliberation_progress_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic}: {self.percent}%"


class Rating(models.Model):
    """效果共评: one rating per resident, public with its average."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    stars = models.PositiveSmallIntegerField(_("rating"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "user"], name="deliberation_rating_once"
            ),
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5),
                name="deliberation_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic}: {self.stars}"

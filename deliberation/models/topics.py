"""Topics (议题) and their timeline through 共同缔造's five stages."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from villages.models import Village


class DeliberationSettings(models.Model):
    """What each village decides for itself about deliberation."""

    village = models.OneToOneField(
        Village,
        verbose_name=_("village"),
        on_delete=models.CASCADE,
        related_name="deliberation_settings",
    )
    # 联名: how many verified residents must co-sign a resident's proposal.
    cosign_threshold = models.PositiveSmallIntegerField(
        _("co-signers needed"), default=10
    )
    answer_days = models.PositiveSmallIntegerField(
        _("days for the committee to answer"), default=15
    )
    report_threshold = models.PositiveSmallIntegerField(
        _("reports that hide a comment"), default=3
    )
    # A secret vote's counts are published only from this many ballots: fewer
    # would let neighbours work out who chose what (see deliberation.models.votes).
    secret_min_ballots = models.PositiveSmallIntegerField(
        _("ballots a secret vote needs before its counts are shown"),
        default=10,
        help_text=_(
            "At least 5. Below this number a secret vote shows turnout but no counts."
        ),
    )

    class Meta:
        verbose_name = _("deliberation settings")
        verbose_name_plural = _("deliberation settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(cosign_threshold__gte=1) & Q(report_threshold__gte=1),
                name="deliberation_settings_positive",
            ),
            models.CheckConstraint(
                condition=Q(secret_min_ballots__gte=5),
                name="deliberation_settings_secret_min_ballots",
            ),
        ]

    def __str__(self) -> str:
        return str(self.village)


class Phase(models.TextChoices):
    PROPOSED = "proposed", _("collecting co-signatures")
    COLLECTING = "collecting", _("collecting opinions")
    VOTING = "voting", _("voting")
    DECIDED = "decided", _("decided")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    EVALUATED = "evaluated", _("evaluated")
    DECLINED = "declined", _("not taken up")


# The five stages of 共同缔造, and the phases that belong to each.
STAGES = [
    (_("Decide together"), [Phase.PROPOSED, Phase.COLLECTING, Phase.VOTING]),
    (_("Develop together"), [Phase.DECIDED]),
    (_("Build and manage together"), [Phase.IN_PROGRESS]),
    (_("Evaluate together"), [Phase.DONE]),
    (_("Share the results"), [Phase.EVALUATED]),
]
TIMELINE = [
    Phase.COLLECTING,
    Phase.VOTING,
    Phase.DECIDED,
    Phase.IN_PROGRESS,
    Phase.DONE,
    Phase.EVALUATED,
]


class Topic(models.Model):
    class Origin(models.TextChoices):
        COMMITTEE = "committee", _("raised by the committee")
        RESIDENTS = "residents", _("proposed by residents")

    village = models.ForeignKey(
        Village,
        verbose_name=_("village"),
        on_delete=models.CASCADE,
        related_name="topics",
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=10000)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    phase = models.CharField(
        _("phase"), max_length=12, choices=Phase.choices, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # A proposal with enough co-signers must be answered by this time.
    answer_due = models.DateTimeField(_("answer due"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # When the committee and the supervision committee were told that the answer
    # is overdue: claimed by a conditional update, so they are told only once.
    overdue_notified_at = models.DateTimeField(
        _("told the answer is overdue"), null=True, blank=True, editable=False
    )
    answer = models.TextField(_("the committee's answer"), blank=True, max_length=4000)
    decision = models.TextField(_("decision"), blank=True, max_length=10000)
    decision_published_at = models.DateTimeField(
        _("decision published"), null=True, blank=True
    )
    # Bumped by every change to the topic's comments: keys the cached comment list.
    comments_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["village", "phase"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "deliberation:topic",
            kwargs={"village": self.village.slug, "pk": self.pk},
        )

    @property
    def stage(self):
        for label, phases in STAGES:
            if self.phase in phases:
                return label
        return ""


class PhaseDate(models.Model):
    """One step of a topic's timeline, with its planned (or actual) dates."""

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="phase_dates"
    )
    phase = models.CharField(_("phase"), max_length=12, choices=Phase.choices)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("phase date")
        verbose_name_plural = _("phase dates")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "phase"], name="deliberation_phasedate_unique"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="deliberation_phasedate_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic}: {self.get_phase_display()}"


class TopicAttachment(models.Model):
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="deliberation/topics/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=120, blank=True)
    is_photo = models.BooleanField(_("photo"), default=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.caption or self.file.name


class CoSignature(models.Model):
    """联名: a verified resident backs a resident's proposal."""

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="cosignatures"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("co-signature")
        verbose_name_plural = _("co-signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "user"], name="deliberation_cosign_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.topic}"

"""The red/black list (红黑榜) of a period, and credit repair (信用修复)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RankingList(models.Model):
    class Period(models.TextChoices):
        MONTH = "month", _("month")
        QUARTER = "quarter", _("quarter")
        YEAR = "year", _("year")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OBJECTION = "objection", _("households told, objections open")
        PUBLISHED = "published", _("published")

    village = models.ForeignKey(
        "villages.Village",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="ranking_lists",
    )
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("drafted"), auto_now_add=True)
    objection_ends_at = models.DateTimeField(
        _("objections until"), null=True, blank=True
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    black_shown_until = models.DateField(
        _("black list shown until"), null=True, blank=True
    )
    chain_seq = models.BigIntegerField(_("ledger position"), default=0)
    chain_hash = models.CharField(_("ledger chain head"), max_length=64, blank=True)
    snapshot_hash = models.CharField(_("snapshot hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("red and black list")
        verbose_name_plural = _("red and black lists")
        ordering = ["village", "-ends_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="points_list_period_order",
            ),
            models.CheckConstraint(
                condition=~Q(status="published")
                | (Q(published_at__isnull=False) & ~Q(chain_hash="")),
                name="points_list_published_has_head",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"


class ListLine(models.Model):
    class Color(models.TextChoices):
        RED = "red", _("red list")
        BLACK = "black", _("black list")

    class Review(models.TextChoices):
        PENDING = "pending", _("waiting for review")
        CONFIRMED = "confirmed", _("confirmed")
        REMOVED = "removed", _("taken off the list")

    ranking = models.ForeignKey(
        RankingList,
        verbose_name=_("list"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    household = models.ForeignKey(
        "villages.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="list_lines",
    )
    rank = models.PositiveIntegerField(_("rank"))
    score = models.IntegerField(_("score"))
    color = models.CharField(_("list"), max_length=5, choices=Color.choices)
    veto = models.BooleanField(_("veto item"), default=False)
    reasons = models.TextField(_("reasons"), blank=True)
    public_name = models.CharField(_("name shown"), max_length=60, blank=True)
    objection = models.TextField(_("objection"), blank=True)
    objection_at = models.DateTimeField(_("objected"), null=True, blank=True)
    review = models.CharField(
        _("review"), max_length=10, choices=Review.choices, default=Review.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_note = models.TextField(_("review note"), blank=True)
    consent_to_share = models.BooleanField(_("consented to sharing"), default=False)

    class Meta:
        verbose_name = _("list line")
        verbose_name_plural = _("list lines")
        ordering = ["ranking", "color", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["ranking", "household"], name="points_line_one_per_household"
            ),
            models.CheckConstraint(
                condition=Q(review="pending") | Q(reviewed_by__isnull=False),
                name="points_line_reviewed_has_reviewer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_color_display()} {self.rank} {self.household}"


class RepairTask(models.Model):
    """A task set for a black-listed household; verified by the committee."""

    line = models.ForeignKey(
        ListLine,
        verbose_name=_("list line"),
        on_delete=models.CASCADE,
        related_name="repair_tasks",
    )
    description = models.CharField(_("task"), max_length=200)
    hours = models.PositiveSmallIntegerField(
        _("volunteer hours"), null=True, blank=True
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)

    class Meta:
        verbose_name = _("repair task")
        verbose_name_plural = _("repair tasks")
        ordering = ["line", "pk"]

    def __str__(self) -> str:
        return self.description

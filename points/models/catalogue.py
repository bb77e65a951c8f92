"""The rules catalogue (积分细则), versioned by year, and a village's points settings."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

POINTS_LIMIT = 1000  # no single item is worth more than this, up or down


class Privacy(models.TextChoices):
    FULL = "full", _("full name")
    MASKED = "masked", _("masked name (张**)")
    NUMBER = "number", _("household number only")


class PointsSettings(models.Model):
    """What a village decided about its points scheme."""

    village = models.OneToOneField(
        "villages.Village",
        verbose_name=_("village"),
        on_delete=models.CASCADE,
        related_name="points_settings",
    )
    notice_days = models.PositiveSmallIntegerField(_("notice period (days)"), default=7)
    objection_days = models.PositiveSmallIntegerField(
        _("objection period before a black list (days)"), default=7
    )
    red_percent = models.PositiveSmallIntegerField(_("red list: top %"), default=10)
    black_percent = models.PositiveSmallIntegerField(
        _("black list: bottom %"), default=5
    )
    red_privacy = models.CharField(
        _("names on the red list"),
        max_length=10,
        choices=Privacy.choices,
        default=Privacy.MASKED,
    )
    black_privacy = models.CharField(
        _("names on the black list"),
        max_length=10,
        choices=Privacy.choices,
        default=Privacy.MASKED,
    )
    black_display_days = models.PositiveSmallIntegerField(
        _("black list shown for (days)"), default=90
    )
    annual_budget = models.PositiveIntegerField(
        _("points that may be issued per year"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("points settings")
        verbose_name_plural = _("points settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(red_percent__lte=50) & Q(black_percent__lte=50),
                name="points_settings_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(notice_days__gte=1), name="points_settings_notice_days"
            ),
        ]

    def __str__(self) -> str:
        return str(self.village)


class RuleBook(models.Model):
    """One year's version of a village's catalogue, as a meeting adopted it."""

    village = models.ForeignKey(
        "villages.Village",
        verbose_name=_("village"),
        on_delete=models.CASCADE,
        related_name="rulebooks",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=100)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_by = models.CharField(
        _("adopting meeting"), max_length=200, blank=True
    )  # e.g. 村民代表会议
    minutes = models.FileField(
        _("minutes of the meeting"), upload_to="points/minutes/", blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("rules catalogue")
        verbose_name_plural = _("rules catalogues")
        ordering = ["village", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year"], name="points_rulebook_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="points_rulebook_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class RuleCategory(models.Model):
    rulebook = models.ForeignKey(
        RuleBook,
        verbose_name=_("rules catalogue"),
        on_delete=models.CASCADE,
        related_name="categories",
    )
    name = models.CharField(_("name"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["rulebook", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rulebook", "name"], name="points_category_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RuleItem(models.Model):
    """A scoring item. ``points`` is the most it gives (or takes); an entry may
    give less of the same sign where the rule says "up to"."""

    rulebook = models.ForeignKey(
        RuleBook,
        verbose_name=_("rules catalogue"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    category = models.ForeignKey(
        RuleCategory,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("item"), max_length=200)
    points = models.IntegerField(_("points"))
    cap_per_year = models.PositiveSmallIntegerField(
        _("at most times per household per year"), null=True, blank=True
    )
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    is_veto = models.BooleanField(_("veto item (一票否决)"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("scoring item")
        verbose_name_plural = _("scoring items")
        ordering = ["rulebook", "category__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rulebook", "code"], name="points_item_unique_code"
            ),
            models.CheckConstraint(
                condition=Q(points__gte=-POINTS_LIMIT, points__lte=POINTS_LIMIT)
                & ~Q(points=0),
                name="points_item_points_range",
            ),
            # 一票否决 is for bad deeds only.
            models.CheckConstraint(
                condition=Q(is_veto=False) | Q(points__lt=0),
                name="points_item_veto_is_a_deduction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name} ({self.points:+d})"

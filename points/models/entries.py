"""Entries (积分记录) as people propose, review and appeal them.

An entry is the story of a deed; its points reach the ledger only when it becomes
final (经公示无异议): approved, the notice period over, no appeal standing. From then
on the database refuses any change to what it says (and to its photos and rule
item), its transaction's hash covers all of it (``points.seals``), and its status
moves only by steps appended to its history (``EntryStep``).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from points.models.catalogue import POINTS_LIMIT


class Entry(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("waiting for review")
        APPROVED = "approved", _("in public notice")
        REJECTED = "rejected", _("rejected")
        FINAL = "final", _("final")
        OVERTURNED = "overturned", _("overturned on appeal")
        REVERSED = "reversed", _("reversed")

    village = models.ForeignKey(
        "villages.Village",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="points_entries",
    )
    household = models.ForeignKey(
        "villages.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="points_entries",
    )
    item = models.ForeignKey(
        "points.RuleItem",
        verbose_name=_("item"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    points = models.IntegerField(_("points"))
    occurred_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_reason = models.TextField(_("reason"), blank=True)
    notice_ends_at = models.DateTimeField(
        _("public notice ends"), null=True, blank=True
    )
    idempotency_key = models.CharField(_("request key"), max_length=100)

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "idempotency_key"], name="points_entry_unique_key"
            ),
            models.CheckConstraint(
                condition=Q(points__gte=-POINTS_LIMIT, points__lte=POINTS_LIMIT)
                & ~Q(points=0),
                name="points_entry_points_range",
            ),
            models.CheckConstraint(
                condition=Q(status="proposed") | Q(reviewed_by__isnull=False),
                name="points_entry_reviewed_has_reviewer",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(review_reason=""),
                name="points_entry_rejection_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["village", "status"]),
            models.Index(fields=["household", "-occurred_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.item.name if self.item_id else ''} {self.points:+d}"


class EntryStep(models.Model):
    """One step in an entry's history (recorded, reviewed, appealed, final…),
    appended and never changed: the entry's ``status`` is the last step's outcome,
    kept on the entry only so that lists can filter by it."""

    class Kind(models.TextChoices):
        RECORDED = "recorded", _("recorded")
        APPROVED = "approved", _("approved, in public notice")
        REJECTED = "rejected", _("rejected")
        APPEALED = "appealed", _("appealed")
        UPHELD = "upheld", _("upheld on appeal")
        OVERTURNED = "overturned", _("overturned on appeal")
        FINAL = "final", _("final after public notice")
        REVERSED = "reversed", _("reversed")

    # The entry's status after each step.
    STATUS_AFTER = {
        Kind.RECORDED: Entry.Status.PROPOSED,
        Kind.APPROVED: Entry.Status.APPROVED,
        Kind.REJECTED: Entry.Status.REJECTED,
        Kind.APPEALED: Entry.Status.APPROVED,
        Kind.UPHELD: Entry.Status.APPROVED,
        Kind.OVERTURNED: Entry.Status.OVERTURNED,
        Kind.FINAL: Entry.Status.FINAL,
        Kind.REVERSED: Entry.Status.REVERSED,
    }

    entry = models.ForeignKey(
        Entry,
        verbose_name=_("entry"),
        on_delete=models.PROTECT,
        related_name="steps",
    )
    kind = models.CharField(_("step"), max_length=12, choices=Kind.choices)
    # None for the steps nobody takes by hand (final once the notice is over).
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("when"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("entry step")
        verbose_name_plural = _("entry steps")
        ordering = ["entry", "pk"]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.get_kind_display()}"


def evidence_storage():
    from villages.storage import private_store

    return private_store("points")


def _photo_path(instance, filename: str) -> str:
    return f"points/evidence/{instance.entry.village_id}/{filename}"


class EntryPhoto(models.Model):
    entry = models.ForeignKey(
        Entry,
        verbose_name=_("entry"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    # Evidence may show people and homes: private storage, served by a view that
    # asks points.view_household.
    image = models.ImageField(
        _("photo"), upload_to=_photo_path, storage=evidence_storage
    )
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))

    class Meta:
        verbose_name = _("evidence photo")
        verbose_name_plural = _("evidence photos")

    def __str__(self) -> str:
        return self.image.name


class Appeal(models.Model):
    """申诉: the household objects to an entry while it is in public notice."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        UPHELD = "upheld", _("entry upheld")
        REVERSED = "reversed", _("entry reversed")

    entry = models.OneToOneField(
        Entry,
        verbose_name=_("entry"),
        on_delete=models.PROTECT,
        related_name="appeal",
    )
    # Copied from the entry so that the database itself can refuse a decision by
    # the person who recorded it.
    entry_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entry recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("filed"), auto_now_add=True)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | ~Q(decided_by=F("entry_recorded_by")),
                name="points_appeal_not_decided_by_recorder",
            ),
            models.CheckConstraint(
                condition=Q(status="open")
                | (Q(decided_by__isnull=False) & ~Q(decision_reason="")),
                name="points_appeal_decision_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry} ({self.get_status_display()})"

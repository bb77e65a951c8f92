"""Residents' reports and requests (民情上报): filed, assigned (转办), chased (督办),
closed with an answer (办结, 反馈) and rated (好差评).

A report's status is a cache of its event history: every step writes one
``ReportEvent`` with its time, and the monthly figures are computed from the events.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from villages.storage import private_store

TEXT_MAX = 2000
ANSWER_MAX = 4000
NOTE_MAX = 1000


class Kind(models.TextChoices):
    SUGGESTION = "suggestion", _("Suggestion")  # 意见建议
    DISPUTE = "dispute", _("Dispute")  # 矛盾纠纷
    HAZARD = "hazard", _("Safety hazard")  # 安全隐患
    OTHER = "other", _("Other request")


class Status(models.TextChoices):
    FILED = "filed", _("Filed")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Answered")
    RATED = "rated", _("Rated")


OPEN_STATUSES = (Status.FILED, Status.ASSIGNED, Status.IN_PROGRESS)
HANDLED_STATUSES = (Status.ASSIGNED, Status.IN_PROGRESS)


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASIC = "basic", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


def private_storage() -> Storage:
    """Report photos may show people and homes: kept under PRIVATE_ROOT and handed
    out by a view that checks who asks."""
    return private_store("reports")


class ReportSettings(models.Model):
    """A village's own numbers for reports."""

    village = models.OneToOneField(
        "villages.Village",
        verbose_name=_("village"),
        on_delete=models.CASCADE,
        related_name="report_settings",
    )
    due_days = models.PositiveSmallIntegerField(_("days to handle a report"), default=7)
    topic_threshold = models.PositiveSmallIntegerField(
        _("“me too” needed to make a suggestion a topic"), default=5
    )
    # Empty: the handler of an overdue report is told once for each due date
    # and handler; a number: told again after that many days while overdue.
    remind_every_days = models.PositiveSmallIntegerField(
        _("remind again every … days while overdue"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_days__gte=1, due_days__lte=365),
                name="reports_settings_due_days_range",
            ),
            models.CheckConstraint(
                condition=Q(topic_threshold__gte=1),
                name="reports_settings_topic_threshold",
            ),
            models.CheckConstraint(
                condition=Q(remind_every_days__isnull=True)
                | Q(remind_every_days__gte=1, remind_every_days__lte=365),
                name="reports_settings_remind_every_days_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.village)


class Department(models.Model):
    """An outside department (派出所, 供电所, 镇司法所…) the village hands reports to."""

    village = models.ForeignKey(
        "villages.Village",
        verbose_name=_("village"),
        on_delete=models.CASCADE,
        related_name="report_departments",
    )
    name = models.CharField(_("name"), max_length=60)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["village", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "name"], name="reports_department_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReportCounter(models.Model):
    """The last number given in a village and year (2026-0001, 2026-0002, …)."""

    village = models.ForeignKey(
        "villages.Village", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year"], name="reports_counter_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village_id}/{self.year}: {self.last}"


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(status__in=HANDLED_STATUSES, due_on__lt=today)


class Report(models.Model):
    village = models.ForeignKey(
        "villages.Village",
        verbose_name=_("village"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    number = models.CharField(_("number"), max_length=12)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("what happened"), max_length=TEXT_MAX)
    place = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    is_public = models.BooleanField(_("may be shown publicly"), default=False)
    filer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="reports_filed",
    )
    grid = models.ForeignKey(
        "villages.Grid",
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.FILED
    )
    filed_at = models.DateTimeField(_("filed"), default=timezone.now)
    # 转办: a person of the village, or an outside department (the committee relays).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports_assigned",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True, max_length=ANSWER_MAX)
    closed_at = models.DateTimeField(_("answered"), null=True, blank=True)
    rating = models.CharField(
        _("rating"), max_length=12, choices=Rating.choices, blank=True
    )
    rating_comment = models.CharField(_("comment"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    escalated_at = models.DateTimeField(
        _("escalated to the township"), null=True, blank=True
    )
    # 督办 reminders: which overdue step (due date and handler) the handler was
    # last told of, and on which day; a run changes them only where they differ,
    # so two runs of the reminder (or two at once) tell once.
    reminded_for = models.CharField(_("reminded of"), max_length=40, blank=True)
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True)
    topic = models.ForeignKey(
        "deliberation.Topic",
        verbose_name=_("deliberation topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    points_entry = models.ForeignKey(
        "points.Entry",
        verbose_name=_("points entry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-filed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "number"], name="reports_report_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(assignee__isnull=True) | Q(department__isnull=True),
                name="reports_report_one_assignee",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90),
                name="reports_report_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True)
                | Q(longitude__gte=-180, longitude__lte=180),
                name="reports_report_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="reports_report_both_coordinates",
            ),
        ]
        # Lists walk these in order and stop at the page's end (no sort of the
        # whole village); id breaks ties the same way the pages order them.
        indexes = [
            models.Index(fields=["village", "filed_at", "id"]),
            models.Index(fields=["village", "is_public", "filed_at", "id"]),
            # The queue's counts per kind and grid read this index alone.
            models.Index(fields=["village", "status", "kind", "grid", "due_on"]),
            # 督办: the overdue list reads only reports in hand.
            models.Index(
                fields=["village", "due_on"],
                condition=Q(status__in=["assigned", "in_progress"]),
                name="reports_in_hand_due_idx",
            ),
            models.Index(
                fields=["village", "escalated_at"],
                condition=Q(escalated_at__isnull=False),
                name="reports_escalated_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse(
            "reports:detail", kwargs={"village": self.village.slug, "pk": self.pk}
        )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in HANDLED_STATUSES
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )

    @property
    def reminder_step(self) -> str:
        """The overdue step a reminder is about: a new due date or a new
        handler is a new step."""
        return f"{self.due_on}|u{self.assignee_id or ''}|d{self.department_id or ''}"

    @property
    def failed_twice(self) -> bool:
        """Answered, reopened after a 差评, answered again and still rated
        dissatisfied: the village could not settle it."""
        return (
            self.status == Status.RATED
            and self.rating == Rating.DISSATISFIED
            and self.reopened_at is not None
        )

    @property
    def handler_name(self) -> str:
        if self.department_id:
            return str(self.department)
        if self.assignee_id:
            return str(self.assignee)
        return ""


def _photo_path(instance, filename: str) -> str:
    return f"{instance.report.village_id}/{filename}"


class ReportPhoto(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("photo"),
        upload_to=_photo_path,
        storage=private_storage,
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image.name


class ReportEvent(models.Model):
    """One step of a report, with its time. Never changed afterwards."""

    class Step(models.TextChoices):
        FILED = "filed", _("Filed")
        ASSIGNED = "assigned", _("Assigned")
        CHASED = "chased", _("Chased by the committee")  # 督办
        PROGRESS = "progress", _("Progress")
        CLOSED = "closed", _("Answered")
        RATED = "rated", _("Rated")
        REOPENED = "reopened", _("Reopened for review")
        ESCALATED = "escalated", _("Escalated to the township")
        TOPIC = "topic", _("Made a deliberation topic")
        POINTS = "points", _("Proposed for points")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=12, choices=Step.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True, max_length=ANSWER_MAX)
    # What the figures need, kept on the step itself rather than read back from
    # the report's current state: the due date an assignment set, a rating given.
    handler = models.CharField(_("handled by"), max_length=100, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    rating = models.CharField(
        _("rating"), max_length=12, choices=Rating.choices, blank=True
    )

    class Meta:
        verbose_name = _("report step")
        verbose_name_plural = _("report steps")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind} {self.at:%Y-%m-%d}"


class MeToo(models.Model):
    """我也遇到了: a neighbour adds their weight instead of filing again."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="me_too")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("“me too”")
        verbose_name_plural = _("“me too”")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "user"], name="reports_metoo_one_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} +{self.user_id}"

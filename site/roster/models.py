"""A roster import: one uploaded workbook, its check report and its progress."""

import uuid

from django.conf import settings
from django.core.files.storage import default_storage, storages
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _roster_storage():
    # Rosters hold every villager's phone number: a deployment that serves media
    # publicly should give them a private store (STORAGES["roster"]).
    if "roster" in settings.STORAGES:
        return storages["roster"]
    return default_storage


def _upload_to(instance: "RosterImport", filename: str) -> str:
    # Never the uploaded name: it can hold anything, and the path must not be guessed.
    return f"roster/{instance.village.slug}/{uuid.uuid4().hex}.xlsx"


class ImportStatus(models.TextChoices):
    VALIDATED = "validated", _("checked, ready to import")
    INVALID = "invalid", _("has problems")
    QUEUED = "queued", _("waiting to start")
    RUNNING = "running", _("importing")
    DONE = "done", _("imported")
    FAILED = "failed", _("failed")


class RosterImport(models.Model):
    Status = ImportStatus

    village = models.ForeignKey(
        "villages.Village",
        verbose_name=_("village"),
        on_delete=models.CASCADE,
        related_name="roster_imports",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file = models.FileField(
        _("file"), upload_to=_upload_to, storage=_roster_storage, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ImportStatus.choices,
        default=ImportStatus.VALIDATED,
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    # [{"row": 5, "column": "phone", "code": "phone_invalid", "params": {...}}]
    errors = models.JSONField(_("problems"), default=list, blank=True)
    # Counts: what the import will change once checked, what it changed once done.
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["village", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values),
                name="roster_import_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(processed_rows__lte=F("total_rows")),
                name="roster_import_progress_le_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.created_at:%Y-%m-%d %H:%M} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse(
            "roster:import_detail",
            kwargs={"village": self.village.slug, "pk": self.pk},
        )

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

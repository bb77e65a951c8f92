"""Comments: one level of replies, never deleted; hiding leaves a visible trace."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deliberation.models.topics import Topic

COMMENT_MAX = 2000


class Comment(models.Model):
    class Hidden(models.TextChoices):
        NO = "", _("shown")
        REPORTS = "reports", _("hidden pending review after reports")
        COMMITTEE = "committee", _("hidden by the committee")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="comments")
    # One level: a reply's parent is never itself a reply (checked in the service).
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    report_count = models.PositiveIntegerField(default=0)
    hidden = models.CharField(
        _("hidden"), max_length=10, choices=Hidden.choices, blank=True, default=""
    )
    hidden_reason = models.CharField(_("reason"), max_length=200, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["topic", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(hidden="committee") | ~Q(hidden_reason=""),
                name="deliberation_comment_hidden_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="deliberation_comment_not_own_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.body[:40]

    @property
    def is_hidden(self) -> bool:
        return bool(self.hidden)


class CommentRevision(models.Model):
    """The text a comment had before an edit: edits are visible to everyone."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="revisions"
    )
    body = models.TextField(max_length=COMMENT_MAX)
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        ordering = ["replaced_at", "pk"]

    def __str__(self) -> str:
        return self.body[:40]


class CommentReport(models.Model):
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="deliberation_report_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reporter} ⚑ {self.comment_id}"

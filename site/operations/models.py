from django.db import models
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    """The last form a signed-in person sent, so that the same form sent again at
    once (a double tap on a slow phone) gets the first answer instead of a second
    record. One row a person, overwritten by their next form.

    Nothing here says who or what: both keys are HMACs under the installation's
    SECRET_KEY, so the row of someone who cast a secret ballot does not tell a
    reader of the database which choice they sent. Rows are deleted once they can
    no longer match (``operations.submissions``)."""

    class State(models.TextChoices):
        PENDING = "pending", _("being handled")
        DONE = "done", _("handled")

    actor_key = models.CharField(_("person (keyed hash)"), max_length=64, unique=True)
    body_key = models.CharField(_("form sent (keyed hash)"), max_length=64)
    token = models.UUIDField(_("request"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices)
    status = models.PositiveSmallIntegerField(_("answer status"), null=True)
    location = models.CharField(_("answer address"), max_length=2000, blank=True)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
        indexes = [models.Index(fields=["started_at"], name="operations_sub_started")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state="pending", status__isnull=True)
                | models.Q(state="done", status=200)
                | models.Q(state="done", status__gte=300, status__lt=400),
                name="operations_submission_done_is_an_answer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.state} {self.started_at:%Y-%m-%d %H:%M:%S}"

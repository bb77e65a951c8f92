"""Votes, and the secret ballot.

Design note: how a secret ballot stays secret
---------------------------------------------
Two tables, and nothing that joins them.

* ``Participation`` says that a person (or, for a household vote, a household)
  took part. It is what the database uses to enforce "one counted ballot per
  voter/household": a UniqueConstraint on (vote, voter) and on (vote, household).
  It carries only the day, never a time.
* ``Ballot`` (with its ``BallotChoice`` rows) says what was chosen. It has no
  foreign key to a person or to a participation, no timestamp, and a random UUID
  primary key, so neither a key nor a sequence orders ballots against
  participations. A ballot is found again only through ``token`` =
  HMAC(server key, vote id + receipt secret).
* The receipt secret is 32 random bytes made when the person votes. The server
  keeps it nowhere: it goes back to the voter in a cookie scoped to the vote
  page (not the session, which lives in the database next to the user id) and is
  shown as a receipt code to write down. Whoever holds it can replace their
  ballot until the vote closes (the old choices are overwritten in place); the
  participation record is unchanged, so the count cannot grow. Lose the receipt
  and the ballot still counts, it just can no longer be changed.
* Participation and ballot are written in one transaction (a failed ballot must
  not leave a voter marked as having voted). That transaction, and insertion
  order, leave traces the SQL columns do not show: PostgreSQL's ``xmin`` and
  physical row order, SQLite's ``rowid``. When a vote closes,
  ``services.votes.vote_finalize`` rewrites all its ballots in one transaction in
  random order, so afterwards every ballot has the same transaction id and a
  random position. Until then an administrator who reads those system columns
  while voting is open could correlate; such an administrator could as well
  read the web server's traffic, which no database design prevents.
* An open (non-secret, 记名) vote uses the same tables, with the token derived
  from the voter's id instead of a receipt, so the voter can change the ballot
  without a receipt and the vote is, as intended, not secret.
* A paper or proxy ballot (a grid worker records it with the resident's consent)
  is marked ``is_paper`` on both sides so the tally can say how many there were;
  it is only as secret as the paper process it replaces (the grid worker knows
  the choice). The audit log records who recorded it, never the choice.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deliberation.models.topics import Topic
from villages.models import Household, Village


class VoteKind(models.TextChoices):
    YES_NO = "yes_no", _("yes / no / abstain")
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")


class Electorate(models.TextChoices):
    RESIDENTS = "residents", _("every verified adult resident")
    HOUSEHOLDS = "households", _("one ballot per household, by its representative")
    REPRESENTATIVES = "representatives", _("the villagers' representatives")


class QuorumRule(models.TextChoices):
    VILLAGERS = "villagers", _("villagers' meeting")
    REPRESENTATIVES = "representatives", _("villagers' representatives' meeting")
    CONSULTATION = "consultation", _("consultation (no quorum)")


class Vote(models.Model):
    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.CASCADE, related_name="+"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="votes")
    question = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=VoteKind.choices)
    max_choices = models.PositiveSmallIntegerField(_("at most"), default=1)
    electorate = models.CharField(
        _("who may vote"), max_length=16, choices=Electorate.choices
    )
    rule = models.CharField(_("held as"), max_length=16, choices=QuorumRule.choices)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    results_live = models.BooleanField(_("show results while open"), default=False)
    is_secret = models.BooleanField(_("secret ballot"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Set when the vote is finalised after it closes (see the design note).
    electorate_size = models.PositiveIntegerField(null=True, blank=True)
    finalized_at = models.DateTimeField(null=True, blank=True)
    closing_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["opens_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="deliberation_vote_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(max_choices__gte=1), name="deliberation_vote_max_choices"
            ),
        ]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse(
            "deliberation:vote", kwargs={"village": self.village.slug, "pk": self.pk}
        )

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_started(self, now=None) -> bool:
        return (now or timezone.now()) >= self.opens_at

    def is_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at

    def results_visible(self, now=None) -> bool:
        return self.results_live or self.is_closed(now)


class VoteOption(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("option"), max_length=120)
    # yes / no / abstain for a yes-no vote, so the rule can find them.
    code = models.CharField(max_length=10, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "label"], name="deliberation_option_unique_label"
            ),
        ]

    def __str__(self) -> str:
        return str(self.display)

    @property
    def display(self):
        return YES_NO_LABELS.get(self.code, self.label)


YES_NO_LABELS = {"yes": _("Yes"), "no": _("No"), "abstain": _("Abstain")}


class Participation(models.Model):
    """That a person (or household) took part: never what they chose."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(
        Vote, on_delete=models.CASCADE, related_name="participations"
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # True when the vote is one ballot per household: then the household is unique.
    per_household = models.BooleanField(default=False)
    is_paper = models.BooleanField(_("paper or proxy ballot"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    consent_note = models.CharField(_("consent"), max_length=300, blank=True)
    voted_on = models.DateField(default=timezone.localdate)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "voter"], name="deliberation_one_ballot_per_voter"
            ),
            models.UniqueConstraint(
                fields=["vote", "household"],
                condition=Q(per_household=True),
                name="deliberation_one_ballot_per_household",
            ),
            models.CheckConstraint(
                condition=Q(per_household=False) | Q(household__isnull=False),
                name="deliberation_household_ballot_has_household",
            ),
            models.CheckConstraint(
                condition=Q(is_paper=False)
                | (Q(recorded_by__isnull=False) & ~Q(consent_note="")),
                name="deliberation_paper_ballot_has_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voter} ✓ {self.vote_id}"


class Ballot(models.Model):
    """What was chosen: no person, no time, a random key (see the design note)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    token = models.CharField(max_length=64)
    is_paper = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "token"], name="deliberation_ballot_token_unique"
            ),
        ]

    def __str__(self) -> str:
        return str(self.pk)


class BallotChoice(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    option = models.ForeignKey(VoteOption, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "option"], name="deliberation_choice_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.option_id}"

"""Votes, and the secret ballot.

Design note: how a secret ballot stays secret
---------------------------------------------
The promise (DESIGN.md, "Trust, stated as tests"): at every moment, someone
with full access to the database cannot link a ballot to its voter with odds
better than 1 in k (k = ``ballot_box.BATCH`` = 10, or 1 in all the voters when
fewer voted), and the counts of a secret vote are not shown when they would
reveal a choice.

*The attacker* reads every table and every system column: row ids, physical
row order (``ctid``; SQLite's ``rowid``), the writing and deleting transactions
(``xmin``, ``xmax``) and so commit times, dead tuples that vacuum has not yet
removed, the write-ahead log and backups, sequence values. The attacker does not
hold ``SECRET_KEY`` (it lives in the application's environment, not in the
database), and does not watch the running application (its memory, the web
server's traffic, a log of every statement): whoever does that sees ballots
arrive whatever the database holds.

*Three tables, and nothing that joins them.*

* ``Participation`` says that a person (or, for a household vote, a household)
  took part. It enforces "one counted ballot per voter/household" with unique
  constraints, also under concurrency. It carries the day, never a time.
* ``SealedBallot`` is a ballot waiting to go into the box: a random UUID, the
  vote, and a sealed blob (``deliberation.seal``: the token, the choices as a
  bitmap and a nanosecond stamp, encrypted and authenticated with keys derived
  from ``SECRET_KEY``; every ballot of a vote seals to the same length). It is
  written in the same transaction as the participation, so it can be lined up
  with it; that tells nothing, because it cannot be read.
* ``Ballot`` (with its ``BallotChoice`` rows) is a ballot in the box: what was
  chosen, and its receipt token HMAC(server key, vote id + receipt), kept
  sealed with a fresh nonce each time the box is written, so no stored value
  survives a rewrite. No person, no time, a random UUID key, no sequence.

*Filling the box.* After each ballot, ``ballot_box_fill`` runs in a transaction
of its own (one at a time per vote, under a lock on the vote row). Once ballots
of k different receipts wait, it opens them, shuffles them with the system's
random source and inserts them as new ``Ballot`` rows under new random ids, in
the shuffled order, and deletes the waiting rows. So the k ballots share one
``xmin`` (and commit time), lie in a random physical order and carry random ids:
an attacker can tell which batch a ballot came in, and which k voters waited in
that batch, and no more. Dead waiting rows are sealed; dead boxed rows die as a
whole batch or a whole box (below). The test that tries every alignment after
every step and measures the best odds is
``tests/deliberation/test_ballot_linking_postgres.py``.

*Changing a ballot.* The receipt is 100 random bits, made when the person first
votes and kept by the server nowhere: it goes back to the voter on the page, and
in a cookie only when they tick "remember on this phone" (a phone that remembers
it lets whoever holds it change the ballot). With it, a changed ballot is sealed
into the pool like a new one, replacing a waiting ballot of the same receipt, so
the pool holds one entry per voter and k entries are k voters. The change writes
nothing else: no participation, no lock on the boxed ballot. When a batch
replaces a ballot already in the box, the whole box is rewritten (every row
deleted and all inserted again, shuffled, under new ids and newly sealed
tokens), so neither the dead row nor the rows that survive mark which ballot
changed: a change could otherwise be lined up by its time with something else
its voter did (a comment, say) and then followed into the box. The participation is
untouched, so the count cannot grow. Lose the receipt and the ballot still
counts; it just can no longer be changed.

*Closing.* ``vote_finalize`` puts the remainder (fewer than k) into the box and
rewrites the whole box in one transaction in random order: from then on every
ballot hides among all of them. If fewer than k people can vote, nothing enters
the box before the close, and the whole electorate is the crowd.

*Tallies.* Turnout is always exact (participations). A live tally counts only
the ballots already in the box and says how many more wait sealed, so it moves
in steps of at least k ballots and watching the public page between two ballots
does not reveal one either. Once the vote has closed, a tally not yet finalised
opens the waiting ballots in memory (writing nothing), so results are exact.

*Counts kept back* (``selectors.vote_outcome``). A secret vote shows no counts,
percentages, chart bars, winner or "passed" while fewer than the village's
``DeliberationSettings.secret_min_ballots`` ballots are counted (default 10, never
below 5: with fewer, the other voters or a neighbour who knows most of them can
work out the rest; one ballot is its own choice). The rule looks at the number
of ballots alone, which turnout publishes anyway, and never at how they were
cast: hiding a result because it was unanimous would announce, by hiding it,
that everyone chose the same. A unanimous result of at least that many ballots
is shown, as a count of paper ballots would announce it. Every page, the print
view, the poster and the chart read the one ``Outcome``, which then holds no
counts at all.

*Open votes* (记名, not secret) use the box directly, with the token derived
from the voter's id, so the voter changes the ballot without a receipt and the
vote is, as intended, not secret. *Paper or proxy ballots* (a grid worker records
one with the resident's consent) are marked ``is_paper`` on the participation,
so the page can say how many there were; the ballot itself is not marked (in a
small batch the mark would single it out). They are only as secret as the paper
process they replace: the grid worker knows the choice, and the audit log
records who recorded it, never the choice.

*What remains.* Someone holding both the database and ``SECRET_KEY`` while a vote
is open can read the waiting ballots (fewer than k at any time), and backups of
a vote in progress hold sealed ballots that only the same key opens (restore
with the same ``SECRET_KEY``, or its old value in ``SECRET_KEY_FALLBACKS``). A
batch whose k voters all chose the same shows that, as a unanimous result does.
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
    # 户的代表: the voter took part as their household's representative (kept from
    # the moment of voting), the only ballots the household clause counts.
    household_rep = models.BooleanField(
        _("as the household's representative"), default=False
    )
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
    # A secret vote's: the receipt token, sealed afresh at every write of the box
    # (see the design note); an open vote's: the token itself.
    token = models.CharField(max_length=200)

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


class SealedBallot(models.Model):
    """A ballot waiting to go into the box: sealed, with a random key and nothing
    else (see the design note)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="+")
    sealed = models.TextField()

    class Meta:
        verbose_name = _("sealed ballot")
        verbose_name_plural = _("sealed ballots")

    def __str__(self) -> str:
        return str(self.pk)

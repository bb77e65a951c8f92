"""The ledger: accounts, balanced transactions and their postings.

Transactions and postings are append-only in the database (see the migration that
protects them); a correction is a reversal that points at what it reverses. Each
village's transactions are numbered 1, 2, 3… and hash-chained: every row carries the
hash of the one before, so a change made behind the application's back shows.

Accounts (科目): the village's issuance account (the source of every point), one
account per household, one per shop (redemptions, the shop issue), and expiry.
An account's ``balance`` is a cache of the sum of its postings, moved only under a
row lock by ``points.services.ledger`` and checked by ``manage.py ledger_verify``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Account(models.Model):
    class Kind(models.TextChoices):
        ISSUANCE = "issuance", _("village issuance")
        HOUSEHOLD = "household", _("household")
        SHOP = "shop", _("shop")
        EXPIRY = "expiry", _("expiry")

    village = models.ForeignKey(
        "villages.Village",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="points_accounts",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    household = models.OneToOneField(
        "villages.Household",
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="points_account",
    )
    # A shop's account is named by a code the shop app gives it.
    code = models.CharField(_("code"), max_length=40, blank=True)
    balance = models.BigIntegerField(_("balance"), default=0)

    class Meta:
        verbose_name = _("points account")
        verbose_name_plural = _("points accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="household", household__isnull=False)
                | (~Q(kind="household") & Q(household__isnull=True)),
                name="points_account_household_iff_kind",
            ),
            # Spendable balance never goes below zero; shops and expiry only receive.
            models.CheckConstraint(
                condition=Q(kind="issuance") | Q(balance__gte=0),
                name="points_account_balance_not_negative",
            ),
            models.UniqueConstraint(
                fields=["village", "kind"],
                condition=Q(kind__in=["issuance", "expiry"]),
                name="points_account_one_issuance_expiry",
            ),
            models.UniqueConstraint(
                fields=["village", "code"],
                condition=Q(kind="shop"),
                name="points_account_unique_shop_code",
            ),
        ]

    def __str__(self) -> str:
        if self.household_id:
            return f"{self.get_kind_display()} {self.household}"
        return f"{self.get_kind_display()} {self.code}".strip()


class LedgerHead(models.Model):
    """The end of a village's chain. Its row is locked while a transaction is
    appended, which numbers the village's transactions without gaps."""

    village = models.OneToOneField(
        "villages.Village",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="ledger_head",
    )
    seq = models.BigIntegerField(_("last number"), default=0)
    hash = models.CharField(_("last hash"), max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("ledger head")
        verbose_name_plural = _("ledger heads")

    def __str__(self) -> str:
        return f"{self.village} #{self.seq}"


class Transaction(models.Model):
    class Kind(models.TextChoices):
        AWARD = "award", _("award")
        DEDUCT = "deduct", _("deduction")
        REVERSAL = "reversal", _("reversal")
        EXPIRE = "expire", _("expiry")
        SPEND = "spend", _("redemption")
        SETTLE = "settle", _("shop settlement")
        # Moves no points: seals a published list's snapshot into the chain.
        LIST = "list", _("list published")

    village = models.ForeignKey(
        "villages.Village",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="points_transactions",
    )
    seq = models.BigIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    household = models.ForeignKey(
        "villages.Household",
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="points_transactions",
    )
    entry = models.ForeignKey(
        "points.Entry",
        verbose_name=_("entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transactions",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    # What the transaction does to the household's score (ranking): an award or a
    # deduction counts in full even when the balance could not pay all of it;
    # expiry and redemption never touch it.
    score_delta = models.IntegerField(_("score change"), default=0)
    effective_on = models.DateField(_("counts on"))
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100)
    payload_hash = models.CharField(_("payload hash"), max_length=64)
    created_at = models.DateTimeField(_("recorded"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")
        ordering = ["village", "seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "seq"], name="points_transaction_unique_seq"
            ),
            models.UniqueConstraint(
                fields=["village", "idempotency_key"],
                name="points_transaction_unique_key",
            ),
            models.CheckConstraint(
                condition=Q(seq__gte=1), name="points_transaction_seq_positive"
            ),
            models.CheckConstraint(
                condition=Q(score_delta=0) | Q(household__isnull=False),
                name="points_transaction_score_needs_household",
            ),
            models.CheckConstraint(
                condition=Q(score_delta=0)
                | Q(kind__in=["award", "deduct", "reversal"]),
                name="points_transaction_score_only_for_deeds",
            ),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False)
                | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="points_transaction_reversal_points_back",
            ),
        ]
        indexes = [
            models.Index(
                fields=["village", "effective_on", "household"],
                name="points_tx_score_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_kind_display()}"


class Posting(models.Model):
    """One leg of a transaction: an amount into (+) or out of (−) an account."""

    transaction = models.ForeignKey(
        Transaction,
        verbose_name=_("transaction"),
        on_delete=models.PROTECT,
        related_name="postings",
    )
    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="postings",
    )
    amount = models.BigIntegerField(_("amount"))

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["transaction", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount=0), name="points_posting_amount_not_zero"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.amount:+d}"

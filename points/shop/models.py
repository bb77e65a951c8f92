"""The points shop (积分超市): shops, products, vouchers, household cards, settlements.

Points never move here: a redemption is a ledger transaction household → shop made
by ``points.shop.ledger``. What this app keeps is what the ledger does not: the
points a living voucher holds (``HouseholdHold``), the stock it holds
(``Product.held``), the voucher itself and a shop's settled statements. The rules
that must always hold are constraints: stock and holds never negative, never more
held than on the shelf, one living voucher per numeric code in a shop.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

WEEKDAYS = "1234567"  # ISO weekdays, Monday = 1


class Period(models.TextChoices):
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")


class ShopSettings(models.Model):
    """A village's shop settings: the rate at which it pays shops, and how long a
    voucher lives."""

    village = models.OneToOneField(
        "villages.Village",
        verbose_name=_("village"),
        on_delete=models.CASCADE,
        related_name="shop_settings",
    )
    yuan_per_point = models.DecimalField(
        _("yuan per point"), max_digits=8, decimal_places=4, default=1
    )
    # None: a voucher lives until the end of the day it was taken.
    voucher_hours = models.PositiveSmallIntegerField(
        _("voucher lifetime (hours)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for the end of the day."),
    )
    card_daily_cap = models.PositiveIntegerField(
        _("household card: points per day at most"), default=200
    )
    card_pin_attempts = models.PositiveSmallIntegerField(
        _("household card: wrong PINs before it locks"), default=5
    )

    class Meta:
        verbose_name = _("shop settings")
        verbose_name_plural = _("shop settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(yuan_per_point__gte=0),
                name="shop_settings_rate_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(card_pin_attempts__gte=1),
                name="shop_settings_pin_attempts_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(self.village)


class Shop(models.Model):
    village = models.ForeignKey(
        "villages.Village",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="shops",
    )
    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("short name (in links)"), max_length=40)
    address = models.CharField(_("address"), max_length=120, blank=True)
    shopkeepers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shopkeepers"),
        blank=True,
        related_name="shops_kept",
    )
    is_active = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("shop")
        verbose_name_plural = _("shops")
        ordering = ["village", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "slug"], name="shop_unique_slug_in_village"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "shop:shop", kwargs={"village": self.village.slug, "shop": self.slug}
        )

    @property
    def account_code(self) -> str:
        """The code of the shop's ledger account (``Account.code``)."""
        return f"shop-{self.pk}"


def _product_photo_path(instance, filename: str) -> str:
    return f"shop/{instance.shop.village_id}/{filename}"


class Product(models.Model):
    shop = models.ForeignKey(
        Shop, verbose_name=_("shop"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("name"), max_length=60)
    photo = models.ImageField(_("photo"), upload_to=_product_photo_path, blank=True)
    points = models.PositiveIntegerField(_("points price"))
    # On the shelf, and of that how much living vouchers hold.
    stock = models.IntegerField(_("stock"), default=0)
    held = models.IntegerField(_("held by vouchers"), default=0)
    limit_quantity = models.PositiveIntegerField(
        _("limit per household"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit."),
    )
    limit_period = models.CharField(
        _("limit period"), max_length=10, choices=Period.choices, default=Period.MONTH
    )
    # ISO weekdays on which it can be redeemed, e.g. "135" = Mon, Wed, Fri.
    weekdays = models.CharField(_("redemption days"), max_length=7, default=WEEKDAYS)
    is_active = models.BooleanField(_("on sale"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["shop", "points", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gt=0), name="shop_product_points_positive"
            ),
            models.CheckConstraint(
                condition=Q(stock__gte=0), name="shop_product_stock_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(held__gte=0), name="shop_product_held_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(held__lte=F("stock")),
                name="shop_product_held_within_stock",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def available(self) -> int:
        return self.stock - self.held

    def open_on(self, day) -> bool:
        return str(day.isoweekday()) in self.weekdays


class HouseholdHold(models.Model):
    """Points held by the household's living vouchers. Spendable = the ledger
    balance minus this. Its row is the household's lock for taking vouchers."""

    household = models.OneToOneField(
        "villages.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="shop_hold",
    )
    village = models.ForeignKey(
        "villages.Village", verbose_name=_("village"), on_delete=models.PROTECT
    )
    held = models.BigIntegerField(_("points held"), default=0)

    class Meta:
        verbose_name = _("points held")
        verbose_name_plural = _("points held")
        constraints = [
            models.CheckConstraint(
                condition=Q(held__gte=0), name="shop_hold_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household}: {self.held}"


class HouseholdCard(models.Model):
    """A printed card for a household without a smartphone: a QR code (only its
    hash kept) and a PIN (hashed like a password)."""

    village = models.ForeignKey(
        "villages.Village", verbose_name=_("village"), on_delete=models.PROTECT
    )
    household = models.ForeignKey(
        "villages.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="shop_cards",
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    pin_hash = models.CharField(_("PIN hash"), max_length=128)
    failed_attempts = models.PositiveSmallIntegerField(_("wrong PINs"), default=0)
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("household card")
        verbose_name_plural = _("household cards")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(revoked_at__isnull=True),
                name="shop_card_one_live_per_household",
            ),
        ]

    def __str__(self) -> str:
        return str(self.household)


class Voucher(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("waiting to be redeemed")
        SPENT = "spent", _("redeemed")
        EXPIRED = "expired", _("expired")
        CANCELLED = "cancelled", _("cancelled")

    village = models.ForeignKey(
        "villages.Village", verbose_name=_("village"), on_delete=models.PROTECT
    )
    shop = models.ForeignKey(
        Shop, verbose_name=_("shop"), on_delete=models.PROTECT, related_name="vouchers"
    )
    household = models.ForeignKey(
        "villages.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="shop_vouchers",
    )
    status = models.CharField(
        _("state"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    # SHA-256 of the QR token; the token itself is never stored.
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    code = models.CharField(_("numeric code"), max_length=8)
    points = models.PositiveIntegerField(_("points"))
    created_at = models.DateTimeField(_("taken"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    card = models.ForeignKey(
        HouseholdCard,
        verbose_name=_("household card"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vouchers",
    )
    expires_at = models.DateTimeField(_("expires"))
    ended_at = models.DateTimeField(_("redeemed or ended"), null=True, blank=True)
    redeemed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("redeemed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ledger_transaction = models.OneToOneField(
        "points.Transaction",
        verbose_name=_("ledger transaction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shop_voucher",
    )

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gt=0), name="shop_voucher_points_positive"
            ),
            models.UniqueConstraint(
                fields=["shop", "code"],
                condition=Q(status="active"),
                name="shop_voucher_unique_live_code",
            ),
            # A spent voucher always names its ledger transaction.
            models.CheckConstraint(
                condition=~Q(status="spent") | Q(ledger_transaction__isnull=False),
                name="shop_voucher_spent_has_transaction",
            ),
        ]
        indexes = [
            models.Index(fields=["shop", "status", "ended_at"]),
            models.Index(fields=["household", "status", "created_at"]),
            models.Index(fields=["status", "expires_at"]),
        ]

    def __str__(self) -> str:
        return _("Voucher %(number)s") % {"number": self.pk}

    def get_absolute_url(self) -> str:
        return reverse(
            "shop:voucher", kwargs={"village": self.village.slug, "pk": self.pk}
        )


class VoucherLine(models.Model):
    voucher = models.ForeignKey(
        Voucher,
        verbose_name=_("voucher"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    points = models.PositiveIntegerField(_("points each"))

    class Meta:
        verbose_name = _("voucher line")
        verbose_name_plural = _("voucher lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="shop_line_quantity_positive"
            ),
            models.UniqueConstraint(
                fields=["voucher", "product"], name="shop_line_one_per_product"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity}"

    @property
    def total(self) -> int:
        return self.quantity * self.points


class Settlement(models.Model):
    """A shop's statement for a month, marked settled by the committee: what the
    village paid the shop, at the rate of the day, and the ledger's chain head at
    that moment."""

    village = models.ForeignKey(
        "villages.Village", verbose_name=_("village"), on_delete=models.PROTECT
    )
    shop = models.ForeignKey(
        Shop,
        verbose_name=_("shop"),
        on_delete=models.PROTECT,
        related_name="settlements",
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    redemptions = models.PositiveIntegerField(_("redemptions"))
    points = models.BigIntegerField(_("points"))
    yuan_per_point = models.DecimalField(
        _("yuan per point"), max_digits=8, decimal_places=4
    )
    yuan = models.DecimalField(_("yuan"), max_digits=12, decimal_places=2)
    settled_at = models.DateTimeField(_("settled"))
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("settled by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    ledger_seq = models.BigIntegerField(_("ledger number at settlement"))
    ledger_hash = models.CharField(_("ledger hash at settlement"), max_length=64)
    ledger_transaction = models.OneToOneField(
        "points.Transaction",
        verbose_name=_("ledger transaction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shop_settlement",
    )

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering = ["-period_start", "shop"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "period_start"], name="shop_settlement_once_a_period"
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0) & Q(yuan__gte=0),
                name="shop_settlement_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop} {self.period_start:%Y-%m}"

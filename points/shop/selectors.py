"""Reads for the shop's pages: each a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, Sum

from points.shop import ledger
from points.shop.models import HouseholdHold, Settlement, Shop, Voucher, VoucherLine
from points.shop.services.periods import month_bounds, start_of
from points.shop.services.vouchers import LIVE, shop_settings


def shops_of(village):
    return Shop.objects.filter(village=village).order_by("name")


def shops_kept_by(user, village):
    return Shop.objects.filter(village=village, shopkeepers=user, is_active=True)


def household_wallet(household) -> dict[str, int]:
    balance = ledger.balance(household)
    held = (
        HouseholdHold.objects.filter(household=household)
        .values_list("held", flat=True)
        .first()
        or 0
    )
    return {"balance": balance, "held": held, "spendable": max(balance - held, 0)}


def used_by_product(*, household, products, day: dt.date) -> dict[int, int]:
    """For each limited product, how many the household took in its period (one
    query per distinct period, at most three)."""
    from points.shop.services.periods import period_start

    used: dict[int, int] = {}
    by_period: dict[str, list[int]] = {}
    for p in products:
        if p.limit_quantity is not None:
            by_period.setdefault(p.limit_period, []).append(p.pk)
    for period, ids in by_period.items():
        since = start_of(period_start(day, period))
        rows = (
            VoucherLine.objects.filter(
                product_id__in=ids,
                voucher__household=household,
                voucher__status__in=LIVE,
                voucher__created_at__gte=since,
            )
            .values("product_id")
            .annotate(n=Sum("quantity"))
        )
        used.update({r["product_id"]: r["n"] for r in rows})
    return used


def vouchers_of(household, limit: int = 30):
    return (
        Voucher.objects.filter(household=household)
        .select_related("shop")
        .prefetch_related(
            Prefetch("lines", queryset=VoucherLine.objects.select_related("product"))
        )
        .order_by("-created_at")[:limit]
    )


@dataclass
class Statement:
    shop: Shop
    first: dt.date
    last: dt.date
    rate: Decimal
    vouchers: list = field(default_factory=list)
    points: int = 0
    settlement: Settlement | None = None

    @property
    def yuan(self) -> Decimal:
        return (Decimal(self.points) * self.rate).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    @property
    def count(self) -> int:
        return len(self.vouchers)


def statement(*, shop: Shop, month: dt.date) -> Statement:
    """Every redemption at the shop in the month, with the yuan the village owes
    it at its rate (the settled rate once settled)."""
    first, last = month_bounds(month)
    vouchers = list(
        Voucher.objects.filter(
            shop=shop,
            status=Voucher.Status.SPENT,
            ended_at__gte=start_of(first),
            ended_at__lt=start_of(last + dt.timedelta(days=1)),
        )
        .select_related("household", "redeemed_by", "ledger_transaction")
        .prefetch_related(
            Prefetch("lines", queryset=VoucherLine.objects.select_related("product"))
        )
        .order_by("ended_at", "pk")
    )
    settlement = Settlement.objects.filter(shop=shop, period_start=first).first()
    rate = (
        settlement.yuan_per_point
        if settlement
        else shop_settings(shop.village).yuan_per_point
    )
    return Statement(
        shop=shop,
        first=first,
        last=last,
        rate=Decimal(rate),
        vouchers=vouchers,
        points=sum(v.points for v in vouchers),
        settlement=settlement,
    )


def statements_for_month(*, village, month: dt.date) -> list[dict]:
    """Every shop of the village for one month: totals only (two queries)."""
    first, last = month_bounds(month)
    totals = {
        r["shop_id"]: r
        for r in Voucher.objects.filter(
            village=village,
            status=Voucher.Status.SPENT,
            ended_at__gte=start_of(first),
            ended_at__lt=start_of(last + dt.timedelta(days=1)),
        )
        .values("shop_id")
        .annotate(points=Sum("points"), n=Count("pk"))
    }
    settled = {
        s.shop_id: s
        for s in Settlement.objects.filter(village=village, period_start=first)
    }
    rate = Decimal(shop_settings(village).yuan_per_point)
    rows = []
    for shop in shops_of(village):
        points = (totals.get(shop.pk) or {}).get("points") or 0
        settlement = settled.get(shop.pk)
        use_rate = settlement.yuan_per_point if settlement else rate
        rows.append(
            {
                "shop": shop,
                "points": points,
                "count": (totals.get(shop.pk) or {}).get("n") or 0,
                "yuan": (Decimal(points) * use_rate).quantize(Decimal("0.01")),
                "settlement": settlement,
            }
        )
    return rows

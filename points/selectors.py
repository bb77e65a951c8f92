"""Reads for the points pages and services."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum

from points.models import Account, Transaction


def household_balance(household) -> int:
    """Spendable balance (可用积分)."""
    return (
        Account.objects.filter(household=household)
        .values_list("balance", flat=True)
        .first()
        or 0
    )


def household_score(household, starts_on: dt.date, ends_on: dt.date) -> int:
    """Score of a period: earned minus deducted, by the date of the deed."""
    return (
        Transaction.objects.filter(
            village_id=household.village_id,
            household=household,
            effective_on__range=(starts_on, ends_on),
        ).aggregate(s=Sum("score_delta"))["s"]
        or 0
    )


def period_scores(village, starts_on: dt.date, ends_on: dt.date) -> dict[int, int]:
    """household id → score for every household with a deed in the period."""
    rows = (
        Transaction.objects.filter(
            village=village, effective_on__range=(starts_on, ends_on)
        )
        .exclude(score_delta=0)
        .values_list("household_id")
        .annotate(s=Sum("score_delta"))
        .order_by()
    )
    return dict(rows)

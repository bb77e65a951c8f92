"""Reads for the points pages and services."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from points.models import (
    Account,
    Appeal,
    Entry,
    EntryStep,
    RuleBook,
    RuleItem,
    Transaction,
)


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


def household_monthly_scores(household, year: int) -> list[int]:
    """Score per month of the year, January first."""
    rows = (
        Transaction.objects.filter(
            village_id=household.village_id,
            household=household,
            effective_on__year=year,
        )
        .values_list("effective_on__month")
        .annotate(s=Sum("score_delta"))
        .order_by()
    )
    by_month = dict(rows)
    return [by_month.get(m, 0) for m in range(1, 13)]


def household_entries(household):
    """The household's entries with their steps. ``shown_points`` of an entry in
    the ledger is read from its transaction (under the hash chain), not from the
    entry's row: what the household reads is what ``ledger_verify`` vouches for."""
    in_chain = Transaction.objects.filter(
        entry=OuterRef("pk"), kind__in=[Transaction.Kind.AWARD, Transaction.Kind.DEDUCT]
    ).values("score_delta")[:1]
    return (
        Entry.objects.filter(household=household)
        .annotate(shown_points=Coalesce(Subquery(in_chain), F("points")))
        .select_related(
            "item",
            "item__category",
            "recorded_by",
            "reviewed_by",
            "appeal",
            "appeal__decided_by",
        )
        .prefetch_related(
            "photos",
            Prefetch("steps", queryset=EntryStep.objects.select_related("by")),
        )
        .order_by("-occurred_on", "-pk")
    )


def current_rulebook(village, year: int | None = None) -> RuleBook | None:
    books = RuleBook.objects.filter(village=village)
    if year is not None:
        return books.filter(year=year).first()
    return books.order_by("-year").first()


def rule_items(rulebook: RuleBook | None):
    if rulebook is None:
        return RuleItem.objects.none()
    return RuleItem.objects.filter(rulebook=rulebook).select_related("category")


def review_queue(village):
    return (
        Entry.objects.filter(village=village, status=Entry.Status.PROPOSED)
        .select_related("household", "item", "item__category", "recorded_by")
        .prefetch_related("photos")
        .order_by("recorded_at", "pk")
    )


def open_appeals(village):
    return (
        Appeal.objects.filter(entry__village=village, status=Appeal.Status.OPEN)
        .select_related(
            "entry", "entry__household", "entry__item", "entry__recorded_by", "filed_by"
        )
        .order_by("filed_at", "pk")
    )


def category_breakdown(village, starts_on: dt.date, ends_on: dt.date) -> list[dict]:
    """Points awarded and deducted per category in the period (final entries)."""
    return list(
        Entry.objects.filter(
            village=village,
            status=Entry.Status.FINAL,
            occurred_on__range=(starts_on, ends_on),
        )
        .values("item__category__name")
        .annotate(
            plus=Sum("points", filter=Q(points__gt=0), default=0),
            minus=Sum("points", filter=Q(points__lt=0), default=0),
            count=Count("pk"),
        )
        .order_by("item__category__name")
    )


def with_zeros(village, scores: dict[int, int]) -> list[int]:
    """Every household's score, counting those with no deed as 0."""
    from villages.models import Household

    total = Household.objects.filter(village=village).count()
    return list(scores.values()) + [0] * max(total - len(scores), 0)


def standing(all_scores: list[int], score: int) -> dict:
    """Rank (1 = best; ties share a rank) among the village's households."""
    better = sum(1 for s in all_scores if s > score)
    return {"rank": better + 1, "of": len(all_scores)}


def household_credit(household, now: dt.datetime) -> dict:
    """信用户 status and black-list state: from the lists published in the last year."""
    from points.models import ListLine, RankingList

    lines = list(
        ListLine.objects.filter(
            household=household,
            ranking__status=RankingList.Status.PUBLISHED,
            ranking__published_at__gte=now - dt.timedelta(days=365),
        )
        .exclude(review=ListLine.Review.REMOVED)
        .select_related("ranking")
        .prefetch_related("repair_tasks")
        .order_by("-ranking__ends_on")
    )
    red = next((line for line in lines if line.color == ListLine.Color.RED), None)
    black = next((line for line in lines if line.color == ListLine.Color.BLACK), None)
    tasks = list(black.repair_tasks.all()) if black else []
    return {
        "credit_household": red is not None,
        "black": black,
        "tasks": tasks,
        "repaired": bool(tasks) and all(t.verified_at for t in tasks),
    }


def list_lines_public(ranking, today: dt.date) -> dict:
    """What the public sees: names as the privacy setting says, no reasons, and
    black lines only inside their display window (they vanish by themselves)."""
    from points.models import ListLine

    lines = list(
        ranking.lines.exclude(review=ListLine.Review.REMOVED)
        .annotate(
            tasks=Count("repair_tasks"),
            verified=Count(
                "repair_tasks", filter=Q(repair_tasks__verified_at__isnull=False)
            ),
        )
        .order_by("rank")
    )
    for line in lines:
        line.repaired = line.tasks > 0 and line.tasks == line.verified
    black_visible = (
        ranking.black_shown_until is not None and today <= ranking.black_shown_until
    )
    return {
        "red": [x for x in lines if x.color == ListLine.Color.RED],
        "black": [
            x
            for x in lines
            if x.color == ListLine.Color.BLACK
            and x.review == ListLine.Review.CONFIRMED
            and black_visible
        ],
        "black_hidden": not black_visible,
    }

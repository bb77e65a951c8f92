"""Monthly figures, computed from the event history alone (never from a report's
current state, which a later step may have changed).

For each month (China time):
- received: reports filed in the month;
- closed: reports first answered in the month (a report reopened after a
  dissatisfied rating and answered again counts once, in its first month);
- on time: of those, answered on or before the due date the latest assignment
  before that answer set;
- average days to close: from filing to that first answer, in days;
- satisfaction rate: (satisfied + basically satisfied) / ratings given in the month.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from reports.models import Rating, ReportEvent

Step = ReportEvent.Step
GOOD = {Rating.SATISFIED, Rating.BASIC}


@dataclass
class MonthFigures:
    month: dt.date
    received: int = 0
    closed: int = 0
    on_time: int = 0
    days_to_close: float = 0.0  # the sum; ``average_days`` divides it
    ratings: int = 0
    satisfied: int = 0
    by_rating: dict = field(default_factory=lambda: dict.fromkeys(Rating.values, 0))

    @property
    def average_days(self) -> float | None:
        return round(self.days_to_close / self.closed, 1) if self.closed else None

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.closed, 1) if self.closed else None

    @property
    def satisfaction_rate(self) -> float | None:
        return round(100 * self.satisfied / self.ratings, 1) if self.ratings else None

    def add(self, other: MonthFigures) -> None:
        self.received += other.received
        self.closed += other.closed
        self.on_time += other.on_time
        self.days_to_close += other.days_to_close
        self.ratings += other.ratings
        self.satisfied += other.satisfied
        for key, value in other.by_rating.items():
            self.by_rating[key] += value


def _month_starts(year: int) -> list[dt.datetime]:
    """The first instant of each month of the year and of the next year (local)."""
    tz = timezone.get_current_timezone()
    return [dt.datetime(year, m, 1, tzinfo=tz) for m in range(1, 13)] + [
        dt.datetime(year + 1, 1, 1, tzinfo=tz)
    ]


def monthly_figures(*, village_ids: Iterable[int], year: int) -> dict[int, list]:
    """``{village_id: [MonthFigures for January … December]}``; one query."""
    village_ids = list(village_ids)
    starts = _month_starts(year)
    start, end = starts[0], starts[-1]
    result = {
        vid: [MonthFigures(month=dt.date(year, m, 1)) for m in range(1, 13)]
        for vid in village_ids
    }
    active = ReportEvent.objects.filter(
        report__village_id__in=village_ids, at__gte=start, at__lt=end
    ).values("report_id")
    rows = (
        ReportEvent.objects.filter(
            report_id__in=active,
            kind__in=[Step.FILED, Step.ASSIGNED, Step.CLOSED, Step.RATED],
        )
        .order_by("report_id", "at", "pk")
        .values_list(
            "report_id", "report__village_id", "kind", "at", "due_on", "rating"
        )
    )
    state: dict[int, dict] = {}
    for report_id, village_id, kind, at, due_on, rating in rows.iterator(
        chunk_size=5000
    ):
        s = state.setdefault(report_id, {"filed": None, "due": None, "closed": False})
        in_year = start <= at < end
        # the month by comparing instants: no time-zone conversion per row
        month = bisect.bisect_right(starts, at) - 1 if in_year else None
        months = result[village_id]
        if kind == Step.FILED:
            s["filed"] = at
            if in_year:
                months[month].received += 1
        elif kind == Step.ASSIGNED:
            s["due"] = due_on
        elif kind == Step.CLOSED and not s["closed"]:
            s["closed"] = True
            if in_year and s["filed"] is not None:
                m = months[month]
                m.closed += 1
                m.days_to_close += (at - s["filed"]).total_seconds() / 86400
                if s["due"] is not None and timezone.localtime(at).date() <= s["due"]:
                    m.on_time += 1
        elif kind == Step.RATED and in_year:
            m = months[month]
            m.ratings += 1
            m.by_rating[rating] = m.by_rating.get(rating, 0) + 1
            if rating in GOOD:
                m.satisfied += 1
    return result


def total(months: Iterable[MonthFigures], *, label_month: dt.date) -> MonthFigures:
    out = MonthFigures(month=label_month)
    for m in months:
        out.add(m)
    return out

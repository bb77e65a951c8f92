"""Calendar periods in the village's local time."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def period_start(day: dt.date, period: str) -> dt.date:
    if period == "year":
        return day.replace(month=1, day=1)
    if period == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(day=1)


def month_bounds(first: dt.date) -> tuple[dt.date, dt.date]:
    """The first and the last day of the month that starts on ``first``."""
    first = first.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def end_of_day(moment: dt.datetime) -> dt.datetime:
    day = timezone.localtime(moment).date()
    return start_of(day + dt.timedelta(days=1)) - dt.timedelta(microseconds=1)

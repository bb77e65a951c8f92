"""The reports card on the village's public home page (a cms_home slot). Public
and cached for anonymous readers: counts only, nothing about any person."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from reports.models import OPEN_STATUSES, Report


def reports_slot(*, village, request) -> dict:
    """Reports in hand and answered this year: one query."""
    year_start = dt.datetime(
        timezone.localdate().year, 1, 1, tzinfo=timezone.get_current_timezone()
    )
    return Report.objects.filter(village=village).aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        answered=Count("pk", filter=Q(closed_at__gte=year_start)),
    )

"""When a login limit lifts, as a time people can read ("09:32").

allauth keeps, per limit, the times of the hits in its window (newest first) in
the cache; a limit that is full lifts when the oldest hit that fills it leaves
the window. Messages name that minute instead of "try again later".
"""

from __future__ import annotations

from datetime import datetime

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format

from allauth.core.internal import ratelimit as ratelimit_internal


def limit_lifts_at(request: HttpRequest, *, action: str, key: str) -> str:
    """The local time ("H:i", rounded up to the minute) when every full limit of
    ``action`` for ``key`` and this request's address has room again."""
    now = ratelimit_internal.time.time()
    lifts = now
    for rate in ratelimit_internal.get_rates(app="allauth.account", action=action):
        if rate.per not in {"key", "ip"}:
            continue
        cache_key = ratelimit_internal.get_cache_key(
            request, app="allauth.account", action=action, rate=rate, key=key
        )
        history = [t for t in cache.get(cache_key, []) if t > now - rate.duration]
        if len(history) >= rate.amount:
            lifts = max(lifts, history[rate.amount - 1] + rate.duration)
    # Round up: "at 09:32" must never be a minute early.
    lifts = -(-lifts // 60) * 60
    moment = datetime.fromtimestamp(lifts, tz=timezone.get_current_timezone())
    return date_format(moment, "H:i")

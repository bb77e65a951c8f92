"""Guesses of numeric codes and PINs are counted in the shared cache, so the limit
holds across every worker process.

Counts are kept per fixed window of ``WINDOW`` seconds, in a key named for the
window. ``cache.incr`` keeps a key's expiry on Redis but re-saves it with the
default timeout on the database cache (Django's generic incr is get + set), which
would let a patient guesser's count lapse early; touching the key after each miss
keeps it for the whole window on both.
"""

from __future__ import annotations

import time
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from points.shop.errors import ShopError

WINDOW = 15 * 60
PER_USER = 10
PER_SHOP = 30


def _keys(shop, user) -> list[tuple[str, int]]:
    window = int(time.time() // WINDOW)
    return [
        (f"shop:code-miss:{window}:user:{getattr(user, 'pk', 0)}", PER_USER),
        (f"shop:code-miss:{window}:shop:{shop.pk}", PER_SHOP),
    ]


def code_guess_check(*, shop, user) -> None:
    for key, limit in _keys(shop, user):
        if (cache.get(key) or 0) >= limit:
            # The window is fixed: the lock ends when it does, which may be in a
            # minute or in fifteen. Say that moment, not a length.
            ends = (int(time.time() // WINDOW) + 1) * WINDOW
            moment = datetime.fromtimestamp(ends, tz=timezone.get_current_timezone())
            raise ShopError(
                _("Too many wrong codes. Try again at %(time)s, or scan the QR code.")
                % {"time": date_format(moment, "H:i")}
            )


def code_guess_failed(*, shop, user) -> None:
    for key, _limit in _keys(shop, user):
        if cache.add(key, 1, WINDOW):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW)
        else:
            cache.touch(key, WINDOW)

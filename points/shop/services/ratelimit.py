"""Guesses of numeric codes and PINs are counted in the shared cache, so the limit
holds across every worker process."""

from __future__ import annotations

from django.core.cache import cache
from django.utils.translation import gettext as _

from points.shop.errors import ShopError

WINDOW = 15 * 60
PER_USER = 10
PER_SHOP = 30


def _keys(shop, user) -> list[tuple[str, int]]:
    return [
        (f"shop:code-miss:user:{getattr(user, 'pk', 0)}", PER_USER),
        (f"shop:code-miss:shop:{shop.pk}", PER_SHOP),
    ]


def code_guess_check(*, shop, user) -> None:
    for key, limit in _keys(shop, user):
        if (cache.get(key) or 0) >= limit:
            raise ShopError(
                _("Too many wrong codes. Wait 15 minutes, or scan the QR code.")
            )


def code_guess_failed(*, shop, user) -> None:
    for key, _limit in _keys(shop, user):
        if not cache.add(key, 1, WINDOW):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, WINDOW)

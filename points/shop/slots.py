"""The points shop's card on the village's public home page (a cms_home slot).
Public and cached for anonymous readers: shop names only, nothing per person."""

from __future__ import annotations

from points.shop.models import Shop


def shop_slot(*, village, request) -> dict:
    """The village's open shops: one query."""
    shops = list(
        Shop.objects.filter(village=village, is_active=True)
        .order_by("name")
        .values("name", "address")[:10]
    )
    return {"shops": shops}

"""Demo content for the points shop: one village store with everyday goods, its
shopkeepers from the roster. Adds nothing if the village already has a shop."""

from __future__ import annotations

from django.db import transaction

from points.shop.models import Period, Product, Shop, ShopSettings
from villages.models import Membership

GOODS = [
    # name, points, stock, limit per household, period, ISO weekdays
    ("洗衣粉 1 kg", 20, 50, 2, Period.MONTH, "1234567"),
    ("食用油 5 L", 80, 30, 1, Period.MONTH, "1234567"),
    ("大米 10 kg", 60, 40, 1, Period.MONTH, "1234567"),
    ("酱油 500 ml", 10, 80, None, Period.MONTH, "1234567"),
    ("毛巾", 8, 100, 4, Period.QUARTER, "1234567"),
    ("理发一次", 15, 20, 2, Period.MONTH, "67"),
]


@transaction.atomic
def seed_shop_demo(village) -> bool:
    if Shop.objects.filter(village=village).exists():
        return False
    ShopSettings.objects.get_or_create(village=village)
    shop = Shop.objects.create(
        village=village,
        name=f"{village.name}积分超市",
        slug="store",
        address="村委会旁",
    )
    shop.shopkeepers.set(
        Membership.objects.active()
        .filter(village=village, is_shopkeeper=True)
        .values_list("user_id", flat=True)
    )
    Product.objects.bulk_create(
        Product(
            shop=shop,
            name=name,
            points=points,
            stock=stock,
            limit_quantity=limit,
            limit_period=period,
            weekdays=days,
        )
        for name, points, stock, limit, period, days in GOODS
    )
    return True

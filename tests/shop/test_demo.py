import pytest

from points.shop.demo import seed_shop_demo
from points.shop.models import Product, Shop

pytestmark = pytest.mark.django_db


def test_demo_shop_once_with_the_villages_shopkeepers(village, shopkeeper):
    assert seed_shop_demo(village) is True
    assert seed_shop_demo(village) is False
    shop = Shop.objects.get(village=village)
    assert list(shop.shopkeepers.all()) == [shopkeeper]
    assert Product.objects.filter(shop=shop).count() == 6

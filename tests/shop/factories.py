"""Factories for the points shop."""

import factory

from points.shop.models import Product, Shop
from tests.factories import VillageFactory


class ShopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shop

    village = factory.SubFactory(VillageFactory)
    name = factory.Sequence(lambda n: f"超市{n}")
    slug = factory.Sequence(lambda n: f"shop-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    shop = factory.SubFactory(ShopFactory)
    name = factory.Sequence(lambda n: f"商品{n}")
    points = 10
    stock = 10

"""Fixtures for the points shop. Until ``points.shop`` is in INSTALLED_APPS these
tests are not collected at all, so the rest of the suite stays green."""

import datetime as dt

from django.apps import apps

import pytest

collect_ignore_glob = [] if apps.is_installed("points.shop") else ["test_*.py"]

if apps.is_installed("points.shop"):
    from points.services.ledger import ledger_record_deed
    from tests.factories import HouseholdFactory, MembershipFactory
    from tests.shop.factories import ProductFactory, ShopFactory

    @pytest.fixture(autouse=True)
    def _english(english):
        """Messages are asserted in their English source, whatever the catalogue."""

    @pytest.fixture
    def shop(village, shopkeeper):
        shop = ShopFactory(village=village, name="村口超市", slug="cunkou")
        shop.shopkeepers.add(shopkeeper)
        return shop

    @pytest.fixture
    def other_shop(village):
        keeper = MembershipFactory(
            village=village, is_resident=False, is_shopkeeper=True
        ).user
        shop = ShopFactory(village=village, name="合作商店", slug="hezuo")
        shop.shopkeepers.add(keeper)
        shop.keeper = keeper
        return shop

    @pytest.fixture
    def other_keeper(other_shop):
        return other_shop.keeper

    @pytest.fixture
    def oil(shop):
        return ProductFactory(shop=shop, name="食用油", points=30, stock=10)

    @pytest.fixture
    def soap(shop):
        return ProductFactory(
            shop=shop, name="洗衣皂", points=5, stock=100, limit_quantity=2
        )

    @pytest.fixture
    def rich(household):
        """The household has 100 points to spend."""
        ledger_record_deed(
            household=household,
            points=100,
            effective_on=dt.date.today(),
            key=f"seed-{household.pk}",
        )
        return household

    @pytest.fixture
    def neighbour(village, grid):
        return HouseholdFactory(village=village, grid=grid, number="LX-002")

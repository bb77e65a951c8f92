"""Query counts pinned: taking and redeeming a voucher, and the list pages."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from points.shop.services.vouchers import voucher_create, voucher_redeem
from tests.shop.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_take_and_redeem_cost_a_fixed_number_of_queries(rich, shop, oil, shopkeeper):
    voucher_create(household=rich, shop=shop, items={oil.pk: 1}, by=None)  # warm
    with CaptureQueriesContext(connection) as taking:
        voucher, _ = voucher_create(
            household=rich, shop=shop, items={oil.pk: 1}, by=None
        )
    with CaptureQueriesContext(connection) as redeeming:
        voucher_redeem(voucher=voucher, shop=shop, by=shopkeeper)
    assert len(taking) <= 16
    assert len(redeeming) <= 36


@pytest.mark.parametrize("products", [2, 20])
def test_shop_page_queries_do_not_grow_with_products(
    client, django_assert_max_num_queries, village, rich, shop, household_rep, products
):
    for i in range(products):
        ProductFactory(shop=shop, limit_quantity=5 if i % 2 else None)
    client.force_login(household_rep)
    page = reverse("shop:shop", kwargs={"village": village.slug, "shop": shop.slug})
    with django_assert_max_num_queries(14):
        assert client.get(page).status_code == 200


def test_home_page_slot_costs_one_query(
    django_assert_num_queries, village, shop, other_shop
):
    from points.shop.slots import shop_slot

    with django_assert_num_queries(1):
        data = shop_slot(village=village, request=None)
    assert [s["name"] for s in data["shops"]] == ["合作商店", "村口超市"]

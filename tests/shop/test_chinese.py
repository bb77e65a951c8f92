"""The pages render in Simplified Chinese (the default language), plurals and
placeholders included."""

from django.urls import reverse
from django.utils import translation

import pytest

from points.shop.services.vouchers import voucher_create, voucher_redeem

pytestmark = pytest.mark.django_db


def test_pages_in_chinese(
    client,
    settings,
    village,
    rich,
    shop,
    oil,
    soap,
    household_rep,
    shopkeeper,
    committee,
):
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        translated = translation.gettext("Get a voucher") != "Get a voucher"
        voucher, _ = voucher_create(
            household=rich, shop=shop, items={oil.pk: 1}, by=None
        )
        client.force_login(household_rep)
        page = client.get(
            reverse("shop:shop", kwargs={"village": village.slug, "shop": shop.slug})
        )
        assert page.status_code == 200
        if translated:
            assert "领取兑换券" in page.content.decode()
        assert client.get(voucher.get_absolute_url()).status_code == 200
        refused = client.post(
            reverse("shop:take", kwargs={"village": village.slug, "shop": shop.slug}),
            {f"qty-{soap.pk}": 3},
        )
        assert refused.status_code == 400
        if translated:
            assert "超出限额" in refused.content.decode()
        client.force_login(shopkeeper)
        voucher_redeem(voucher=voucher, shop=shop, by=shopkeeper)
        counter = client.get(
            reverse("shop:counter", kwargs={"village": village.slug, "shop": shop.slug})
        )
        assert counter.status_code == 200
        client.force_login(committee)
        for name in ("statement", "statement_print"):
            page = client.get(
                reverse(
                    f"shop:{name}", kwargs={"village": village.slug, "shop": shop.slug}
                )
            )
            assert page.status_code == 200
        assert (
            client.get(
                reverse("shop:manage", kwargs={"village": village.slug})
            ).status_code
            == 200
        )

"""Statements per shop per month, yuan at the village's rate, settlement, Excel, print."""

import datetime as dt
import io
from decimal import Decimal
from unittest import mock

from django.urls import reverse
from django.utils import timezone

import openpyxl
import pytest

from audit.models import AuditEntry
from points.shop.errors import ShopError
from points.shop.ledger import shop_balance
from points.shop.models import Settlement, ShopSettings
from points.shop.selectors import statement, statements_for_month
from points.shop.services.settlement import statement_settle
from points.shop.services.vouchers import voucher_create, voucher_redeem
from points.verify import verify_village

pytestmark = pytest.mark.django_db


def next_month():
    later = timezone.localdate() + dt.timedelta(days=40)
    return mock.patch("django.utils.timezone.localdate", return_value=later)


@pytest.fixture
def redeemed(village, rich, shop, oil, shopkeeper):
    ShopSettings.objects.create(village=village, yuan_per_point=Decimal("0.5"))
    for n in (1, 2):
        voucher, _ = voucher_create(
            household=rich, shop=shop, items={oil.pk: n}, by=None
        )
        voucher_redeem(voucher=voucher, shop=shop, by=shopkeeper)
    return timezone.localdate().replace(day=1)


def test_statement_totals_and_yuan(redeemed, shop, village):
    current = statement(shop=shop, month=redeemed)
    assert (current.count, current.points, current.yuan) == (2, 90, Decimal("45.00"))
    rows = statements_for_month(village=village, month=redeemed)
    assert [(r["shop"], r["count"], r["points"], r["yuan"]) for r in rows] == [
        (shop, 2, 90, Decimal("45.00"))
    ]


def test_settle_only_after_the_month_and_once(redeemed, shop, committee, village):
    with pytest.raises(ShopError, match="after it has ended"):
        statement_settle(shop=shop, month=redeemed, by=committee)
    with next_month():
        settlement = statement_settle(
            shop=shop, month=redeemed, by=committee, note="转账"
        )
        assert (settlement.points, settlement.yuan) == (90, Decimal("45.00"))
        assert settlement.ledger_seq >= 3 and len(settlement.ledger_hash) == 64
        # An ordinary ledger transaction: the shop's points go back to the village.
        tx = settlement.ledger_transaction
        assert tx.kind == "settle" and tx.seq == settlement.ledger_seq
        assert {p.account.kind: p.amount for p in tx.postings.all()} == {
            "shop": -90,
            "issuance": 90,
        }
        assert shop_balance(shop) == 0
        assert verify_village(village.pk) == []
        with pytest.raises(ShopError, match="already settled"):
            statement_settle(shop=shop, month=redeemed, by=committee)
        empty = (redeemed - dt.timedelta(days=1)).replace(day=1)
        with pytest.raises(ShopError, match="nothing to settle"):
            statement_settle(shop=shop, month=empty, by=committee)
    assert Settlement.objects.count() == 1
    assert AuditEntry.objects.filter(action="shop.statement_settle").count() == 1
    # The rate is frozen at settlement.
    ShopSettings.objects.filter(village=village).update(yuan_per_point=2)
    assert statement(shop=shop, month=redeemed).yuan == Decimal("45.00")


def test_statement_pages(
    client,
    redeemed,
    shop,
    village,
    committee,
    shopkeeper,
    other_keeper,
    resident,
    monitor,
):
    month = f"?month={redeemed:%Y-%m}"
    page = reverse(
        "shop:statement", kwargs={"village": village.slug, "shop": shop.slug}
    )
    for person in (committee, shopkeeper, monitor):
        client.force_login(person)
        response = client.get(page + month)
        assert response.status_code == 200 and "45.00" in response.content.decode()
    for person in (other_keeper, resident):
        client.force_login(person)
        assert client.get(page + month).status_code == 403
    client.force_login(committee)
    excel = client.get(
        reverse(
            "shop:statement_excel", kwargs={"village": village.slug, "shop": shop.slug}
        )
        + month
    )
    assert excel.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(excel.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert 90 in values and 45.0 in values
    printed = client.get(
        reverse(
            "shop:statement_print", kwargs={"village": village.slug, "shop": shop.slug}
        )
        + month
    )
    assert printed.status_code == 200 and "45.00" in printed.content.decode()
    overview = client.get(
        reverse("shop:statements", kwargs={"village": village.slug}) + month
    )
    assert overview.status_code == 200 and shop.name in overview.content.decode()
    for junk in ("?month=junk", "?month=2026-13", ""):
        assert client.get(page + junk).status_code == 200
    settle = reverse(
        "shop:statement_settle", kwargs={"village": village.slug, "shop": shop.slug}
    )
    refused = client.post(settle, {"month": f"{redeemed:%Y-%m}"})
    assert refused.status_code == 400 and not Settlement.objects.exists()
    with next_month():
        done = client.post(settle, {"month": f"{redeemed:%Y-%m}", "note": "现金"})
        assert done.status_code == 302
    client.force_login(shopkeeper)
    assert client.post(settle, {"month": f"{redeemed:%Y-%m}"}).status_code == 403

"""A receipt (a spent voucher and its goods) is the record of a redemption: the
database refuses to change it, its redemption's hash covers it, and
``manage.py ledger_verify`` names a receipt changed behind the triggers."""

import io

from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

import pytest

from points.shop.models import Voucher
from points.shop.services.vouchers import voucher_create, voucher_redeem
from points.verify import verify_village
from tests.points.test_record_under_chain import behind_the_back

pytestmark = pytest.mark.django_db


@pytest.fixture
def receipt(rich, shop, oil, soap, shopkeeper):
    voucher, _ = voucher_create(
        household=rich, shop=shop, items={oil.pk: 1, soap.pk: 2}, by=None
    )
    return voucher_redeem(voucher=voucher, shop=shop, by=shopkeeper)


def refused(sql: str, params: list) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params)


def verify_fails(*patterns: str) -> None:
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("ledger_verify", stderr=err)
    text = f"{failure.value}\n{err.getvalue()}"
    for pattern in patterns:
        assert pattern in text, text


def test_a_receipt_verifies(receipt):
    assert receipt.status == Voucher.Status.SPENT
    assert verify_village(receipt.village_id) == []


def test_a_receipt_refuses_raw_sql(receipt, neighbour):
    line = receipt.lines.first()
    refused("UPDATE shop_voucherline SET quantity = 9 WHERE id = %s", [line.pk])
    refused("DELETE FROM shop_voucherline WHERE id = %s", [line.pk])
    refused(
        "INSERT INTO shop_voucherline (voucher_id, product_id, quantity, points) "
        "VALUES (%s, %s, 1, 1)",
        [receipt.pk, line.product_id + 1000],
    )
    refused("UPDATE shop_voucher SET points = 1 WHERE id = %s", [receipt.pk])
    refused(
        "UPDATE shop_voucher SET household_id = %s WHERE id = %s",
        [neighbour.pk, receipt.pk],
    )
    refused("UPDATE shop_voucher SET status = 'active' WHERE id = %s", [receipt.pk])
    refused("DELETE FROM shop_voucher WHERE id = %s", [receipt.pk])


def test_a_live_voucher_may_still_end(rich, shop, oil, household_rep):
    voucher, _ = voucher_create(household=rich, shop=shop, items={oil.pk: 1}, by=None)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE shop_voucher SET status = 'cancelled' WHERE id = %s", [voucher.pk]
        )


@pytest.mark.parametrize(
    ("table", "sql"),
    [
        (
            "shop_voucherline",
            "UPDATE shop_voucherline SET quantity = quantity + 5 WHERE voucher_id = %s",
        ),
        ("shop_voucher", "UPDATE shop_voucher SET points = 1 WHERE id = %s"),
        (
            "shop_voucherline",
            "DELETE FROM shop_voucherline WHERE id = (SELECT MIN(id) FROM "
            "shop_voucherline WHERE voucher_id = %s)",
        ),
    ],
)
def test_a_receipt_changed_behind_the_triggers_is_named(receipt, table, sql):
    behind_the_back(table, sql, [receipt.pk])
    tx = receipt.ledger_transaction
    verify_fails(f"receipt {receipt.pk}:", f"transaction #{tx.seq} (id {tx.pk})")

"""A change made straight in SQL, past the append-only triggers, is caught by
``manage.py ledger_verify``, which names the first bad entry."""

import datetime as dt

from django.core.management import CommandError, call_command
from django.db import connection

import pytest

from points.models import Transaction
from points.services.ledger import ledger_record_deed, ledger_spend

ON = dt.date(2026, 3, 1)


def behind_the_back(table: str, sql: str, params: list) -> None:
    """What someone with the database owner's password could do."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        else:
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
            cursor.execute(sql, params)


@pytest.fixture
def ledger(household):
    for i in range(1, 6):
        ledger_record_deed(
            household=household, points=10 * i, effective_on=ON, key=f"k{i}"
        )
    ledger_spend(household=household, shop_code="store", amount=5, key="s")
    return household.village


def verify():
    call_command("ledger_verify")


@pytest.mark.django_db
def test_a_clean_ledger_verifies(ledger, capsys):
    verify()
    assert "ledger verified" in capsys.readouterr().out


@pytest.mark.django_db
def test_an_updated_amount_is_named(ledger):
    tx = Transaction.objects.get(village=ledger, seq=3)
    behind_the_back(
        "points_posting",
        "UPDATE points_posting SET amount = amount * 2 WHERE transaction_id = %s",
        [tx.pk],
    )
    with pytest.raises(CommandError, match=r"first bad entry: .*transaction #3 "):
        verify()


@pytest.mark.django_db
def test_an_updated_score_is_named(ledger):
    tx = Transaction.objects.get(village=ledger, seq=2)
    behind_the_back(
        "points_transaction",
        "UPDATE points_transaction SET score_delta = 500 WHERE id = %s",
        [tx.pk],
    )
    with pytest.raises(CommandError, match=r"transaction #2 .*hash mismatch"):
        verify()


@pytest.mark.django_db
def test_a_deleted_transaction_is_named(ledger):
    tx = Transaction.objects.get(village=ledger, seq=4)
    behind_the_back(
        "points_posting",
        "DELETE FROM points_posting WHERE transaction_id = %s",
        [tx.pk],
    )
    behind_the_back(
        "points_transaction", "DELETE FROM points_transaction WHERE id = %s", [tx.pk]
    )
    with pytest.raises(CommandError, match=r"first bad entry: .*transaction #5 "):
        verify()


@pytest.mark.django_db
def test_a_rewritten_cached_balance_is_caught(ledger, household):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE points_account SET balance = balance + 100 WHERE household_id = %s",
            [household.pk],
        )
    with pytest.raises(CommandError, match="postings sum to"):
        verify()

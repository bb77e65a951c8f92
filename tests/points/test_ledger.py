"""The ledger's services: balanced, idempotent, never negative, score apart."""

import datetime as dt

from django.db import DatabaseError, IntegrityError, connection, transaction

import pytest

from points.models import Account, LedgerHead, Posting, Transaction
from points.selectors import household_balance, household_score
from points.services.errors import IdempotencyConflict, PointsError
from points.services.ledger import (
    ledger_expire,
    ledger_record_deed,
    ledger_reverse,
    ledger_settle,
    ledger_spend,
)
from points.verify import verify_village

TODAY = dt.date(2026, 5, 10)
YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def award(household, points, key):
    return ledger_record_deed(
        household=household, points=points, effective_on=TODAY, key=key
    )


@pytest.mark.django_db
def test_award_moves_points_from_issuance_and_balances(household, village):
    tx = award(household, 10, "k1")
    legs = sorted(tx.postings.values_list("account__kind", "amount"))
    assert legs == [("household", 10), ("issuance", -10)]
    assert household_balance(household) == 10
    assert household_score(household, *YEAR) == 10
    assert verify_village(village.pk) == []


@pytest.mark.django_db
def test_same_key_twice_records_once(household):
    first = award(household, 10, "same")
    second = award(household, 10, "same")
    assert first.pk == second.pk and second.replayed
    assert Transaction.objects.count() == 1
    assert household_balance(household) == 10


@pytest.mark.django_db
def test_same_key_different_payload_is_refused(household):
    award(household, 10, "same")
    with pytest.raises(IdempotencyConflict):
        award(household, 11, "same")
    assert household_balance(household) == 10


@pytest.mark.django_db
def test_deduction_takes_only_what_is_there_but_counts_in_full(household, village):
    award(household, 3, "a")
    tx = ledger_record_deed(household=household, points=-5, effective_on=TODAY, key="d")
    assert tx.kind == Transaction.Kind.DEDUCT
    assert household_balance(household) == 0
    assert household_score(household, *YEAR) == -2
    assert verify_village(village.pk) == []


@pytest.mark.django_db
def test_spending_never_changes_the_score(household, village):
    award(household, 10, "a")
    ledger_spend(household=household, shop_code="store", amount=4, key="s")
    assert household_balance(household) == 6
    assert household_score(household, *YEAR) == 10
    shop = Account.objects.get(kind="shop", code="store")
    assert shop.balance == 4
    with pytest.raises(PointsError):
        ledger_spend(household=household, shop_code="store", amount=7, key="s2")
    assert household_balance(household) == 6
    assert verify_village(village.pk) == []


@pytest.mark.django_db
def test_expiry_moves_to_expiry_account(household, village):
    award(household, 10, "a")
    ledger_expire(household=household, amount=10, key="e")
    assert household_balance(household) == 0
    assert household_score(household, *YEAR) == 10
    with pytest.raises(PointsError):
        ledger_expire(household=household, amount=1, key="e2")


@pytest.mark.django_db
def test_reversal_points_back_and_only_once(household, village):
    tx = award(household, 10, "a")
    rev = ledger_reverse(original=tx, key="r")
    assert rev.reverses_id == tx.pk and rev.kind == "reversal"
    assert household_balance(household) == 0
    assert household_score(household, *YEAR) == 0
    with pytest.raises(PointsError):
        ledger_reverse(original=tx, key="r2")
    with pytest.raises(PointsError):
        ledger_reverse(original=rev, key="r3")
    assert verify_village(village.pk) == []


@pytest.mark.django_db
def test_reversing_a_spent_award_takes_back_what_is_left(household, village):
    tx = award(household, 10, "a")
    ledger_spend(household=household, shop_code="store", amount=8, key="s")
    ledger_reverse(original=tx, key="r")
    assert household_balance(household) == 0
    assert household_score(household, *YEAR) == 0
    assert verify_village(village.pk) == []


@pytest.mark.django_db
def test_chain_numbers_without_gaps_per_village(household, other_village):
    from tests.factories import HouseholdFactory

    elsewhere = HouseholdFactory(village=other_village)
    award(household, 1, "a")
    award(elsewhere, 1, "a")  # keys are per village
    award(household, 2, "b")
    seqs = list(
        Transaction.objects.filter(village=household.village).values_list(
            "seq", flat=True
        )
    )
    assert seqs == [1, 2]
    head = LedgerHead.objects.get(village=household.village)
    last = Transaction.objects.get(village=household.village, seq=2)
    assert head.hash == last.hash
    assert (
        last.prev_hash == Transaction.objects.get(village=household.village, seq=1).hash
    )


@pytest.mark.django_db
def test_zero_and_negative_amounts_are_refused(household):
    with pytest.raises(PointsError):
        ledger_record_deed(household=household, points=0, effective_on=TODAY, key="z")
    with pytest.raises(PointsError):
        ledger_spend(household=household, shop_code="s", amount=-1, key="n")
    assert Transaction.objects.count() == 0


@pytest.mark.django_db
def test_ledger_rows_cannot_be_updated_or_deleted_below_the_orm(household):
    tx = award(household, 10, "a")
    for sql in [
        "UPDATE points_transaction SET score_delta = 99 WHERE id = %s",
        "DELETE FROM points_posting WHERE transaction_id = %s",
        "DELETE FROM points_transaction WHERE id = %s",
    ]:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [tx.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        Posting.objects.filter(transaction=tx).update(amount=5)


@pytest.mark.django_db
def test_database_refuses_a_negative_household_balance(household):
    account = Account.objects.create(
        village=household.village, kind="household", household=household
    )
    account.balance = -1
    with pytest.raises(IntegrityError), transaction.atomic():
        account.save()


@pytest.mark.django_db
def test_a_shop_settles_back_to_the_village(household, village):
    award(household, 10, "a")
    ledger_spend(household=household, shop_code="store", amount=6, key="s")
    tx = ledger_settle(village=village, shop_code="store", amount=6, key="settle-1")
    assert tx.kind == "settle"
    assert Account.objects.get(kind="shop", code="store").balance == 0
    assert Account.objects.get(kind="issuance", village=village).balance == -4
    assert household_score(household, *YEAR) == 10
    with pytest.raises(PointsError):
        ledger_settle(village=village, shop_code="store", amount=1, key="settle-2")
    assert verify_village(village.pk) == []

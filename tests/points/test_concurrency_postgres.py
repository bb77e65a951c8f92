"""Under real concurrency on PostgreSQL: one key records once; nothing overdraws."""

import datetime as dt
import threading

from django.db import connection, connections

import pytest

from points.models import Account, Transaction
from points.selectors import household_balance, household_score
from points.services.errors import PointsError
from points.services.ledger import ledger_record_deed, ledger_spend
from points.verify import verify_village
from tests.factories import HouseholdFactory, VillageFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

ON = dt.date(2026, 6, 1)
THREADS = 8


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


def run_together(work, n=THREADS):
    """Run ``work(i)`` in n threads that start at the same instant, each on its
    own database connection; collect results and errors."""
    barrier = threading.Barrier(n)
    results, errors = [], []

    def target(i):
        try:
            barrier.wait()
            results.append(work(i))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


@pytest.fixture
def household():
    return HouseholdFactory(village=VillageFactory())


def test_same_key_from_many_threads_records_once(household):
    results, errors = run_together(
        lambda i: ledger_record_deed(
            household=household, points=10, effective_on=ON, key="one-request"
        )
    )
    assert errors == []
    assert len({tx.pk for tx in results}) == 1
    assert Transaction.objects.filter(village=household.village).count() == 1
    assert household_balance(household) == 10
    assert verify_village(household.village_id) == []


def test_concurrent_spends_never_overdraw(household):
    ledger_record_deed(household=household, points=100, effective_on=ON, key="seed")
    results, errors = run_together(
        lambda i: ledger_spend(
            household=household, shop_code="store", amount=30, key=f"spend-{i}"
        )
    )
    assert len(results) == 3
    assert all(isinstance(e, PointsError) for e in errors), errors
    assert household_balance(household) == 10
    assert household_score(household, ON, ON) == 100
    assert verify_village(household.village_id) == []


def test_concurrent_deductions_never_overdraw(household):
    ledger_record_deed(household=household, points=50, effective_on=ON, key="seed")
    results, errors = run_together(
        lambda i: ledger_record_deed(
            household=household, points=-20, effective_on=ON, key=f"deduct-{i}"
        )
    )
    assert errors == []
    assert len(results) == THREADS
    account = Account.objects.get(household=household)
    assert account.balance == 0
    # the score takes every deduction in full
    assert household_score(household, ON, ON) == 50 - 20 * THREADS
    assert verify_village(household.village_id) == []


def test_concurrent_writes_keep_the_chain_gapless(household):
    others = [HouseholdFactory(village=household.village) for _ in range(THREADS)]
    run_together(
        lambda i: [
            ledger_record_deed(
                household=others[i], points=1 + j, effective_on=ON, key=f"{i}-{j}"
            )
            for j in range(5)
        ]
    )
    seqs = list(
        Transaction.objects.filter(village=household.village)
        .order_by("seq")
        .values_list("seq", flat=True)
    )
    assert seqs == list(range(1, THREADS * 5 + 1))
    assert verify_village(household.village_id) == []

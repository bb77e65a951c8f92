"""Real threads, real connections, real row locks: on PostgreSQL only."""

import datetime as dt
import threading
from collections import Counter

from django.db import connection, connections

import pytest

from points.models import Account, Transaction
from points.services.ledger import ledger_record_deed
from points.shop.errors import AlreadyRedeemed, ShopError
from points.shop.models import HouseholdHold, Product, Voucher
from points.shop.services.vouchers import voucher_create, voucher_redeem
from points.verify import verify_village
from tests.factories import HouseholdFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
    ),
]


# PostgreSQL allows 100 connections by default, shared with other test runs: more
# jobs than POOL run on POOL threads that start at one instant and keep competing.
POOL = 32


def run_threads(count, work, pool=POOL):
    workers = min(count, pool)
    barrier = threading.Barrier(workers)
    results = [None] * count

    def one(i):
        try:
            results[i] = ("ok", work(i))
        except AlreadyRedeemed as error:
            results[i] = ("already", str(error))
        except ShopError as error:
            results[i] = ("refused", str(error))
        except Exception as error:  # reported by the assertions
            results[i] = ("crash", repr(error))

    def runner(w):
        try:
            barrier.wait()
            for i in range(w, count, workers):
                one(i)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def fund(household, points):
    ledger_record_deed(
        household=household,
        points=points,
        effective_on=dt.date.today(),
        key=f"fund-{household.pk}",
    )


def test_fifty_confirms_of_one_voucher_redeem_once(
    village, household, shop, oil, shopkeeper, other_shop
):
    fund(household, 100)
    voucher, _ = voucher_create(
        household=household, shop=shop, items={oil.pk: 1}, by=None
    )
    # A second shopkeeper of the same shop, to confirm from two people too.
    keepers = [shopkeeper, *list(shop.shopkeepers.all())]

    results = run_threads(
        50,
        lambda i: (
            voucher_redeem(voucher=voucher, shop=shop, by=keepers[i % len(keepers)]).pk
        ),
        pool=50,  # fifty connections at one instant
    )
    kinds = Counter(kind for kind, _ in results)
    assert kinds == {"ok": 1, "already": 49}, results
    assert all("村口超市" in text for kind, text in results if kind == "already")
    assert Transaction.objects.filter(kind="spend").count() == 1
    assert Account.objects.get(household=household).balance == 70
    oil.refresh_from_db()
    assert (oil.stock, oil.held) == (9, 0)
    assert verify_village(village.pk) == []


def test_two_hundred_vouchers_for_a_hundred_units(village, shop, shopkeeper):
    rice = Product.objects.create(shop=shop, name="大米", points=1, stock=100)
    households = [
        HouseholdFactory(village=village, number=f"R{i:03d}") for i in range(200)
    ]
    for h in households:
        fund(h, 5)

    results = run_threads(
        200,
        lambda i: (
            voucher_create(
                household=households[i], shop=shop, items={rice.pk: 1}, by=None
            )[0].pk
        ),
    )
    kinds = Counter(kind for kind, _ in results)
    assert kinds == {"ok": 100, "refused": 100}, [
        r for r in results if r[0] == "crash"
    ][:3]
    rice.refresh_from_db()
    assert (rice.stock, rice.held) == (100, 100)

    ids = [pk for kind, pk in results if kind == "ok"]
    redeemed = run_threads(
        100,
        lambda i: (
            voucher_redeem(
                voucher=Voucher.objects.get(pk=ids[i]), shop=shop, by=shopkeeper
            ).pk
        ),
    )
    assert Counter(kind for kind, _ in redeemed) == {"ok": 100}, redeemed
    rice.refresh_from_db()
    assert (rice.stock, rice.held) == (0, 0)
    assert Voucher.objects.filter(status="spent").count() == 100
    assert verify_village(village.pk) == []


def test_one_household_many_vouchers_never_overdraws(village, household, shop):
    fund(household, 100)
    cheap = Product.objects.create(shop=shop, name="盐", points=7, stock=1000)
    limited = Product.objects.create(
        shop=shop, name="毛巾", points=1, stock=1000, limit_quantity=3
    )

    results = run_threads(
        30,
        lambda i: (
            voucher_create(
                household=household,
                shop=shop,
                items={cheap.pk: 1} if i % 2 else {limited.pk: 1},
                by=None,
            )[0].pk
        ),
    )
    assert not [r for r in results if r[0] == "crash"], results
    hold = HouseholdHold.objects.get(household=household)
    assert 0 <= hold.held <= 100
    assert (
        Voucher.objects.filter(household=household, lines__product=limited).count() == 3
    )
    spent = sum(v.points for v in Voucher.objects.filter(household=household))
    assert spent == hold.held <= 100

"""Vouchers at the service level: holds, every refusal, redeem, cancel and expiry."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

import pytest

from audit.models import AuditEntry
from notifications.models import Notification
from points.models import Account, Transaction
from points.shop.errors import AlreadyRedeemed, ShopError
from points.shop.models import HouseholdHold, Product, Voucher
from points.shop.services import tokens
from points.shop.services.vouchers import (
    voucher_by_code,
    voucher_by_token,
    voucher_cancel,
    voucher_create,
    voucher_expire_if_due,
    voucher_redeem,
    vouchers_expire,
)
from points.verify import verify_village

pytestmark = pytest.mark.django_db


def held(household) -> int:
    return HouseholdHold.objects.get(household=household).held


def take(household, shop, items, by=None, **kw):
    return voucher_create(household=household, shop=shop, items=items, by=by, **kw)


def test_a_voucher_holds_points_and_stock(rich, shop, oil, household_rep):
    voucher, token = take(rich, shop, {oil.pk: 2}, household_rep)
    oil.refresh_from_db()
    assert (oil.stock, oil.held, oil.available) == (10, 2, 8)
    assert held(rich) == 60
    assert voucher.points == 60 and voucher.status == "active"
    # Only the hash of the token is kept; the code is six digits.
    assert tokens.well_formed(token) and token not in voucher.token_hash
    assert voucher.token_hash == tokens.token_hash(token)
    assert len(voucher.code) == 6 and voucher.code.isdigit()
    assert voucher_by_token(token=token) == voucher
    # No points moved yet.
    assert not Transaction.objects.filter(kind="spend").exists()


def test_redeem_moves_points_in_one_ledger_transaction(
    rich,
    shop,
    oil,
    household_rep,
    shopkeeper,
    village,
    django_capture_on_commit_callbacks,
):
    voucher, _ = take(rich, shop, {oil.pk: 2}, household_rep)
    with django_capture_on_commit_callbacks(execute=True):
        voucher_redeem(voucher=voucher, shop=shop, by=shopkeeper)
    voucher.refresh_from_db()
    oil.refresh_from_db()
    assert voucher.status == "spent" and voucher.redeemed_by == shopkeeper
    assert (oil.stock, oil.held) == (8, 0)
    assert held(rich) == 0
    tx = voucher.ledger_transaction
    assert tx.kind == "spend" and tx.household == rich and tx.score_delta == 0
    legs = {p.account.kind: p.amount for p in tx.postings.select_related("account")}
    assert legs == {"household": -60, "shop": 60}
    assert Account.objects.get(household=rich).balance == 40
    assert Account.objects.get(kind="shop", code=shop.account_code).balance == 60
    assert AuditEntry.objects.filter(action="shop.voucher_redeem").count() == 1
    # Receipt in the household's inbox.
    assert Notification.objects.filter(recipient=household_rep, kind="shop").exists()
    assert verify_village(village.pk) == []


def test_a_voucher_is_spent_once(rich, shop, oil, shopkeeper):
    voucher, _ = take(rich, shop, {oil.pk: 1})
    voucher_redeem(voucher=voucher, shop=shop, by=shopkeeper)
    with pytest.raises(AlreadyRedeemed, match="村口超市"):
        voucher_redeem(voucher=voucher, shop=shop, by=shopkeeper)
    assert Transaction.objects.filter(kind="spend").count() == 1


def test_wrong_shop_is_refused(rich, shop, oil, other_shop, other_keeper):
    voucher, _ = take(rich, shop, {oil.pk: 1})
    with pytest.raises(ShopError):
        voucher_redeem(voucher=voucher, shop=other_shop, by=other_keeper)
    voucher.refresh_from_db()
    assert voucher.status == "active"


def test_cancel_releases_everything(rich, shop, oil):
    voucher, _ = take(rich, shop, {oil.pk: 3})
    voucher_cancel(voucher=voucher, by=None)
    oil.refresh_from_db()
    assert oil.held == 0 and held(rich) == 0
    with pytest.raises(ShopError):
        voucher_cancel(voucher=voucher, by=None)
    with pytest.raises(ShopError, match="cancelled"):
        voucher_redeem(voucher=voucher, shop=shop, by=None)


def test_expiry_on_read_and_by_command(rich, shop, oil, shopkeeper):
    past = timezone.now() - dt.timedelta(days=1)
    first, _ = take(rich, shop, {oil.pk: 1}, now=past)
    second, _ = take(rich, shop, {oil.pk: 1}, now=past)
    assert first.expires_at < timezone.now()
    with pytest.raises(ShopError, match="expired"):
        voucher_redeem(voucher=first, shop=shop, by=shopkeeper)
    voucher_expire_if_due(first)
    first.refresh_from_db()
    assert first.status == "expired"
    call_command("expire_vouchers", stdout=open("/dev/null", "w"))  # noqa: SIM115
    second.refresh_from_db()
    assert second.status == "expired"
    oil.refresh_from_db()
    assert oil.held == 0 and held(rich) == 0
    assert vouchers_expire() == 0


def test_taking_a_new_voucher_expires_old_ones(rich, shop, oil):
    take(rich, shop, {oil.pk: 3}, now=timezone.now() - dt.timedelta(days=1))
    assert held(rich) == 90
    take(rich, shop, {oil.pk: 3})  # would not fit if the old one still held 90
    assert held(rich) == 90


def test_voucher_hours_setting(rich, shop, oil, village):
    from points.shop.models import ShopSettings

    ShopSettings.objects.create(village=village, voucher_hours=2)
    voucher, _ = take(rich, shop, {oil.pk: 1})
    left = voucher.expires_at - voucher.created_at
    assert left == dt.timedelta(hours=2)


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ({}, "at least one"),
        ({"x": 1}, "how many"),
        ({1: -1}, "between"),
        ({1: 100}, "between"),
    ],
)
def test_junk_items(rich, shop, oil, items, message):
    with pytest.raises(ShopError, match=f"(?i){message}"):
        take(rich, shop, items)
    assert not Voucher.objects.exists()


def test_not_enough_points(household, shop, oil):
    with pytest.raises(ShopError, match="Not enough points"):
        take(household, shop, {oil.pk: 1})


def test_not_enough_points_counts_what_is_held(rich, shop, oil):
    take(rich, shop, {oil.pk: 3})
    with pytest.raises(ShopError, match="Not enough points"):
        take(rich, shop, {oil.pk: 1})
    assert Voucher.objects.count() == 1


def test_not_enough_stock(rich, shop):
    scarce = Product.objects.create(shop=shop, name="大米", points=1, stock=1)
    with pytest.raises(ShopError, match="Only 1"):
        take(rich, shop, {scarce.pk: 2})
    scarce.stock = 0
    scarce.save()
    with pytest.raises(ShopError, match="Only 0"):
        take(rich, shop, {scarce.pk: 1})


def test_over_the_limit(rich, shop, soap, shopkeeper):
    first, _ = take(rich, shop, {soap.pk: 1})
    voucher_redeem(voucher=first, shop=shop, by=shopkeeper)
    take(rich, shop, {soap.pk: 1})
    with pytest.raises(ShopError, match="Over the limit"):
        take(rich, shop, {soap.pk: 1})


def test_a_cancelled_voucher_gives_back_its_limit(rich, shop, soap):
    voucher, _ = take(rich, shop, {soap.pk: 2})
    voucher_cancel(voucher=voucher, by=None)
    take(rich, shop, {soap.pk: 2})


def test_closed_redemption_day(rich, shop, oil, shopkeeper):
    today = str(timezone.localdate().isoweekday())
    voucher, _ = take(rich, shop, {oil.pk: 1})
    oil.weekdays = "".join(d for d in "1234567" if d != today)
    oil.save()
    with pytest.raises(ShopError, match="cannot be redeemed today"):
        take(rich, shop, {oil.pk: 1})
    with pytest.raises(ShopError, match="cannot be redeemed today"):
        voucher_redeem(voucher=voucher, shop=shop, by=shopkeeper)


def test_product_off_sale_and_other_shop_and_closed_shop(rich, shop, oil, other_shop):
    foreign = Product.objects.create(shop=other_shop, name="酱油", points=1, stock=5)
    with pytest.raises(ShopError, match="not sold in this shop"):
        take(rich, shop, {foreign.pk: 1})
    with pytest.raises(ShopError, match="not sold in this shop"):
        take(rich, shop, {987654: 1})
    oil.is_active = False
    oil.save()
    with pytest.raises(ShopError, match="no longer on sale"):
        take(rich, shop, {oil.pk: 1})
    shop.is_active = False
    shop.save()
    with pytest.raises(ShopError, match="closed"):
        take(rich, shop, {oil.pk: 1})


def test_other_villages_shop_is_refused(rich, other_village):
    from tests.shop.factories import ProductFactory, ShopFactory

    far = ShopFactory(village=other_village)
    product = ProductFactory(shop=far)
    with pytest.raises(ShopError, match="not in your village"):
        take(rich, far, {product.pk: 1})


def test_balance_spent_elsewhere_refuses_at_the_counter(rich, shop, oil, shopkeeper):
    from points.services.ledger import ledger_expire

    voucher, _ = take(rich, shop, {oil.pk: 3})
    ledger_expire(household=rich, amount=50, key="lapse")
    with pytest.raises(ShopError, match="no longer has enough"):
        voucher_redeem(voucher=voucher, shop=shop, by=shopkeeper)
    voucher.refresh_from_db()
    assert voucher.status == "active"


def test_numeric_code_only_at_its_shop(rich, shop, oil, other_shop, shopkeeper):
    voucher, _ = take(rich, shop, {oil.pk: 1})
    assert voucher_by_code(shop=shop, code=voucher.code, user=shopkeeper) == voucher
    spaced = f"{voucher.code[:3]} {voucher.code[3:]}"
    assert voucher_by_code(shop=shop, code=spaced, user=shopkeeper) == voucher
    with pytest.raises(ShopError):
        voucher_by_code(shop=other_shop, code=voucher.code, user=shopkeeper)


def test_guessing_codes_is_rate_limited(rich, shop, oil, shopkeeper):
    voucher, _ = take(rich, shop, {oil.pk: 1})
    wrong = "000000" if voucher.code != "000000" else "111111"
    for _ in range(10):
        with pytest.raises(ShopError, match="No voucher"):
            voucher_by_code(shop=shop, code=wrong, user=shopkeeper)
    # Now even the right code is refused for a while.
    with pytest.raises(ShopError, match="Too many"):
        voucher_by_code(shop=shop, code=voucher.code, user=shopkeeper)


@pytest.mark.parametrize("junk", ["", "12345", "1234567", "abcdef", "12a456", None])
def test_junk_codes(shop, shopkeeper, junk):
    with pytest.raises(ShopError):
        voucher_by_code(shop=shop, code=junk, user=shopkeeper)


@pytest.mark.parametrize("forged", ["", "x", "A" * 43, "A" * 42, "A" * 44, "../../x"])
def test_forged_or_truncated_tokens(rich, shop, oil, forged):
    _voucher, token = take(rich, shop, {oil.pk: 1})
    assert voucher_by_token(token=forged) is None
    assert voucher_by_token(token=token[:-1]) is None


def test_stock_and_holds_are_constrained_in_the_database(shop, oil, rich):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=oil.pk).update(stock=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=oil.pk).update(held=11)
    take(rich, shop, {oil.pk: 1})
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdHold.objects.filter(household=rich).update(held=-1)


def test_the_guess_limit_lasts_its_window_on_the_database_cache(
    rich, shop, oil, shopkeeper, settings
):
    """Django's database cache re-saves a counter with the default timeout (300 s)
    on incr; the count must still be kept for the whole 15 minutes."""
    import datetime as dt

    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from points.shop.services import ratelimit

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "test_guess_cache",
        }
    }
    call_command("createcachetable", verbosity=0)
    voucher, _ = take(rich, shop, {oil.pk: 1})
    wrong = "000000" if voucher.code != "000000" else "111111"
    for _ in range(10):
        with pytest.raises(ShopError, match="No voucher"):
            voucher_by_code(shop=shop, code=wrong, user=shopkeeper)
    key = cache.make_and_validate_key(ratelimit._keys(shop, shopkeeper)[0][0])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT expires FROM test_guess_cache WHERE cache_key = %s", [key]
        )
        (expires,) = cursor.fetchone()
    if isinstance(expires, str):  # SQLite answers with text
        expires = dt.datetime.fromisoformat(expires)
    if timezone.is_naive(expires):
        expires = timezone.make_aware(expires, dt.UTC)
    assert (expires - timezone.now()).total_seconds() > 600
    with pytest.raises(ShopError, match="Too many"):
        voucher_by_code(shop=shop, code=voucher.code, user=shopkeeper)

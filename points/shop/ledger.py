"""The shop's only door into the points ledger (``points.services.ledger``).

Everything the shop needs from the ledger goes through these few functions, so that
a change in the ledger's API touches only this module. Holds are not the ledger's:
they live in ``points.shop.models.HouseholdHold``.
"""

from __future__ import annotations

from points import seals
from points.models import Account, LedgerHead, Transaction
from points.services import ledger as _ledger


def balance(household) -> int:
    """The household's ledger balance (before the shop's holds)."""
    value = (
        Account.objects.filter(household=household)
        .values_list("balance", flat=True)
        .first()
    )
    return int(value or 0)


def balances(households) -> dict[int, int]:
    return dict(
        Account.objects.filter(household__in=households).values_list(
            "household_id", "balance"
        )
    )


def spend(
    *, household, shop, amount: int, key: str, by, memo: str, receipt: dict
) -> Transaction:
    """A redemption: one ledger transaction household → the shop's account, its
    hash covering the receipt."""
    return _ledger.ledger_spend(
        household=household,
        shop_code=shop.account_code,
        amount=amount,
        key=key,
        by=by,
        memo=memo,
        receipt=receipt,
    )


def receipt(*, voucher_id: int, lines: list[tuple[int, int, int]]) -> dict:
    """What a receipt says, for the hash of its redemption: (product id,
    quantity, points each) for each line."""
    return seals.receipt(voucher_id=voucher_id, lines=lines)


def shop_balance(shop) -> int:
    account = Account.objects.filter(
        village_id=shop.village_id, kind=Account.Kind.SHOP, code=shop.account_code
    ).first()
    return int(account.balance) if account else 0


def head_for_update(village) -> tuple[int, str]:
    """The village's chain head (number, hash), locked until the caller's
    transaction ends, so a settlement is pinned to the ledger it was computed from."""
    head = LedgerHead.objects.select_for_update().filter(village=village).first()
    if head is None:
        return 0, "0" * 64
    return head.seq, head.hash


def settlement_transaction(*, shop, points: int, key: str, by, memo: str):
    """The ledger transaction that records a settlement: the points the shop took
    go back to the village (shop → issuance, ``ledger_settle``). None for nothing
    to settle, or on a ledger without that operation (the settlement row then
    still pins the chain head)."""
    settle = getattr(_ledger, "ledger_settle", None)
    if settle is None or points <= 0:
        return None
    return settle(
        village=shop.village,
        shop_code=shop.account_code,
        amount=points,
        key=key,
        by=by,
        memo=memo,
    )

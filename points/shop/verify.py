"""Receipts against the chain, for ``manage.py ledger_verify`` (registered from
``ShopConfig.ready``): a spent voucher is a receipt, and what it says (household,
shop, points, goods) must be what its redemption's hash covers."""

from __future__ import annotations

from collections.abc import Iterator

from points import seals
from points.shop.models import Shop, Voucher, VoucherLine
from points.verify import CHUNK, Problem

FIELDS = [
    "pk",
    "household_id",
    "shop_id",
    "points",
    "status",
    "ledger_transaction_id",
    "ledger_transaction__seq",
    "ledger_transaction__kind",
    "ledger_transaction__household_id",
    "ledger_transaction__payload_hash",
]


def receipts_check(village_id: int, *, chunk: int = CHUNK) -> Iterator[Problem]:
    lines = (
        VoucherLine.objects.filter(
            voucher__village_id=village_id, voucher__status=Voucher.Status.SPENT
        )
        .order_by("voucher_id", "pk")
        .values_list("voucher_id", "product_id", "quantity", "points")
        .iterator(chunk_size=chunk)
    )
    line = next(lines, None)
    vouchers = (
        Voucher.objects.filter(village_id=village_id, status=Voucher.Status.SPENT)
        .order_by("pk")
        .values_list(*FIELDS)
    )
    for row in vouchers.iterator(chunk_size=chunk):
        v = dict(zip(FIELDS, row, strict=True))
        goods = []
        while line is not None and line[0] <= v["pk"]:
            if line[0] == v["pk"]:
                goods.append(line[1:])
            line = next(lines, None)
        seq, tx_id = v["ledger_transaction__seq"], v["ledger_transaction_id"]

        def bad(message: str, v=v, seq=seq, tx_id=tx_id) -> Problem:
            return Problem(village_id, seq, tx_id, f"receipt {v['pk']}: {message}")

        if tx_id is None or v["ledger_transaction__kind"] != "spend":
            yield bad("spent, but no redemption in the chain records it")
            continue
        code = Shop(pk=v["shop_id"]).account_code
        v2 = seals.payload_digest(
            seals.spend_payload(
                household_id=v["household_id"],
                shop_code=code,
                amount=v["points"],
                receipt=seals.receipt(voucher_id=v["pk"], lines=goods),
            )
        )
        v1 = seals.payload_digest(
            seals.spend_payload_v1(
                household_id=v["household_id"], shop_code=code, amount=v["points"]
            )
        )
        # A v1 redemption (before receipts were sealed) covers household, shop
        # and points, not the goods.
        if v["ledger_transaction__payload_hash"] not in (v2, v1):
            yield bad(
                "says something its redemption did not record "
                "(household, shop, points or goods changed)"
            )

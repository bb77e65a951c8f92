"""Settling a shop's monthly statement: the committee marks that the village paid
the shop the yuan its redemptions are worth at the village's rate."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from points.shop import ledger
from points.shop.errors import ShopError
from points.shop.models import Settlement, Shop


@transaction.atomic
def statement_settle(*, shop: Shop, month: dt.date, by, note: str = "") -> Settlement:
    from points.shop.selectors import statement

    first = month.replace(day=1)
    if first >= timezone.localdate().replace(day=1):
        raise ShopError(_("A month can be settled only after it has ended."))
    # Pin the statement to the ledger as it stands: the chain head is locked until
    # this transaction ends, so no redemption can slip in between sum and record.
    seq, head_hash = ledger.head_for_update(shop.village)
    if Settlement.objects.filter(shop=shop, period_start=first).exists():
        raise ShopError(_("This statement is already settled."))
    current = statement(shop=shop, month=first)
    last = current.last
    if not current.vouchers:
        raise ShopError(_("There is nothing to settle for this month."))
    key = f"shop-settle-{shop.pk}-{first:%Y-%m}"
    tx = ledger.settlement_transaction(
        shop=shop,
        points=current.points,
        key=key,
        by=by,
        memo=_("Settlement of %(shop)s for %(month)s")
        % {"shop": shop.name, "month": f"{first:%Y-%m}"},
    )
    try:
        with transaction.atomic():
            settlement = Settlement.objects.create(
                village=shop.village,
                shop=shop,
                period_start=first,
                period_end=last,
                redemptions=current.count,
                points=current.points,
                yuan_per_point=current.rate,
                yuan=current.yuan,
                settled_at=timezone.now(),
                settled_by=by,
                note=note[:200],
                ledger_seq=tx.seq if tx else seq,
                ledger_hash=tx.hash if tx else head_hash,
                ledger_transaction=tx,
            )
    except IntegrityError as error:
        raise ShopError(_("This statement is already settled.")) from error
    audit_log(
        actor=by,
        action="shop.statement_settle",
        village=shop.village,
        target=settlement,
        after={
            "shop": shop.name,
            "month": f"{first:%Y-%m}",
            "redemptions": current.count,
            "points": current.points,
            "yuan": str(current.yuan),
            "rate": str(current.rate),
            "ledger head": f"#{settlement.ledger_seq} {settlement.ledger_hash[:12]}",
        },
        note=note,
    )
    return settlement

"""Writes to the ledger. Every movement of points goes through ``_append``.

Each write takes the village's chain head under a row lock (numbering the village's
transactions without gaps and making the idempotency check race-free), then locks
the accounts it moves in a fixed order, checks that the legs sum to zero, moves the
cached balances and appends the transaction with its hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from points import seals
from points.models import Account, LedgerHead, Posting, Transaction
from points.seals import payload_digest
from points.services.errors import IdempotencyConflict, PointsError

GENESIS = "0" * 64


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def transaction_digest(
    *,
    prev_hash: str,
    village_id: int,
    seq: int,
    kind: str,
    household_id: int | None,
    entry_id: int | None,
    reverses_id: int | None,
    score_delta: int,
    effective_on: dt.date,
    memo: str,
    idempotency_key: str,
    payload_hash: str,
    created_at: dt.datetime,
    created_by_id: int | None,
    legs: Iterable[tuple[int, int]],
) -> str:
    """The hash of one transaction with its postings, chained to the one before.
    ``ledger_verify`` recomputes it from the stored rows."""
    parts = [
        prev_hash,
        str(village_id),
        str(seq),
        kind,
        str(household_id or ""),
        str(entry_id or ""),
        str(reverses_id or ""),
        str(score_delta),
        effective_on.isoformat(),
        memo,
        idempotency_key,
        payload_hash,
        _stamp(created_at),
        str(created_by_id or ""),
        ";".join(f"{a}:{n}" for a, n in sorted(legs)),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


# -- accounts -------------------------------------------------------------------


def _system_account(village, kind: str) -> Account:
    account = Account.objects.filter(village=village, kind=kind).first()
    if account is None:
        try:
            with transaction.atomic():
                account = Account.objects.create(village=village, kind=kind)
        except IntegrityError:
            account = Account.objects.get(village=village, kind=kind)
    return account


def issuance_account(village) -> Account:
    return _system_account(village, Account.Kind.ISSUANCE)


def expiry_account(village) -> Account:
    return _system_account(village, Account.Kind.EXPIRY)


def household_account(household) -> Account:
    account = Account.objects.filter(household=household).first()
    if account is None:
        try:
            with transaction.atomic():
                account = Account.objects.create(
                    village_id=household.village_id,
                    kind=Account.Kind.HOUSEHOLD,
                    household=household,
                )
        except IntegrityError:
            account = Account.objects.get(household=household)
    return account


def shop_account(village, code: str) -> Account:
    account = Account.objects.filter(
        village=village, kind=Account.Kind.SHOP, code=code
    ).first()
    if account is None:
        try:
            with transaction.atomic():
                account = Account.objects.create(
                    village=village, kind=Account.Kind.SHOP, code=code
                )
        except IntegrityError:
            account = Account.objects.get(
                village=village, kind=Account.Kind.SHOP, code=code
            )
    return account


# -- the one way in ---------------------------------------------------------------


def _lock_head(village) -> LedgerHead:
    head = LedgerHead.objects.select_for_update().filter(village=village).first()
    if head is None:
        try:
            with transaction.atomic():
                LedgerHead.objects.create(village=village)
        except IntegrityError:
            pass  # another request made it first
        head = LedgerHead.objects.select_for_update().get(village=village)
    return head


def _replay(village, key: str, payload_hash: str) -> Transaction | None:
    """The transaction already recorded under this key, or None. Called with the
    head locked, so two requests with one key cannot both miss."""
    if not key:
        raise PointsError(_("A request key is needed."))
    existing = Transaction.objects.filter(village=village, idempotency_key=key).first()
    if existing is None:
        return None
    if existing.payload_hash != payload_hash:
        raise IdempotencyConflict(
            _("This request key was already used for a different request.")
        )
    existing.replayed = True
    return existing


def _lock_issuance_and_household(village, household) -> tuple[int, int, dict]:
    """Lock the village's issuance account and the household's in one query
    (creating them the first time)."""
    query = Q(household=household) | Q(village=village, kind=Account.Kind.ISSUANCE)
    rows = list(Account.objects.select_for_update().filter(query).order_by("pk"))
    if len(rows) < 2:
        issuance_account(village)
        household_account(household)
        rows = list(Account.objects.select_for_update().filter(query).order_by("pk"))
    locked = {a.pk: a for a in rows}
    source = next(a.pk for a in rows if a.kind == Account.Kind.ISSUANCE)
    target = next(a.pk for a in rows if a.kind == Account.Kind.HOUSEHOLD)
    return source, target, locked


def _lock_accounts(accounts: list[Account]) -> dict[int, Account]:
    ids = sorted({a.pk for a in accounts})
    return {
        a.pk: a
        for a in Account.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }


def _append(
    *,
    head: LedgerHead,
    locked: dict[int, Account],
    kind: str,
    legs: list[tuple[int, int]],
    effective_on: dt.date,
    key: str,
    payload_hash: str,
    by=None,
    household=None,
    entry=None,
    reverses: Transaction | None = None,
    score_delta: int = 0,
    memo: str = "",
) -> Transaction:
    legs = [(account_id, amount) for account_id, amount in legs if amount]
    if sum(amount for _, amount in legs) != 0:
        raise PointsError(_("A transaction must balance."))
    for account_id, amount in legs:
        account = locked[account_id]
        account.balance += amount
        if account.kind != Account.Kind.ISSUANCE and account.balance < 0:
            raise PointsError(_("Not enough points."))
    for account_id, _amount in legs:
        locked[account_id].save(update_fields=["balance"])
    now = timezone.now()
    seq = head.seq + 1
    created_by_id = by.pk if getattr(by, "is_authenticated", False) else None
    digest = transaction_digest(
        prev_hash=head.hash,
        village_id=head.village_id,
        seq=seq,
        kind=kind,
        household_id=household.pk if household else None,
        entry_id=entry.pk if entry else None,
        reverses_id=reverses.pk if reverses else None,
        score_delta=score_delta,
        effective_on=effective_on,
        memo=memo,
        idempotency_key=key,
        payload_hash=payload_hash,
        created_at=now,
        created_by_id=created_by_id,
        legs=legs,
    )
    tx = Transaction.objects.create(
        village_id=head.village_id,
        seq=seq,
        kind=kind,
        household=household,
        entry=entry,
        reverses=reverses,
        score_delta=score_delta,
        effective_on=effective_on,
        memo=memo,
        idempotency_key=key,
        payload_hash=payload_hash,
        created_at=now,
        created_by_id=created_by_id,
        prev_hash=head.hash,
        hash=digest,
    )
    Posting.objects.bulk_create(
        [Posting(transaction=tx, account_id=a, amount=n) for a, n in legs]
    )
    head.seq = seq
    head.hash = digest
    head.save(update_fields=["seq", "hash"])
    tx.replayed = False
    return tx


# -- operations -------------------------------------------------------------------


@transaction.atomic
def ledger_record_deed(
    *,
    household,
    points: int,
    effective_on: dt.date,
    key: str,
    by=None,
    entry=None,
    memo: str = "",
) -> Transaction:
    """An award (points > 0: issuance → household) or a deduction (points < 0:
    household → issuance). The score takes the full points; a deduction takes from
    the spendable balance only what is there, so the balance never goes negative.
    For an entry, the payload (under the hash) is all the entry says."""
    if not points:
        raise PointsError(_("Points must not be zero."))
    village = household.village
    if entry is not None:
        if (entry.household_id, entry.points, entry.occurred_on) != (
            household.pk,
            points,
            effective_on,
        ):
            raise PointsError(_("The deed does not match its entry."))
        payload = seals.deed_payload_for(entry)
    else:
        payload = seals.deed_payload_v1(
            household_id=household.pk, points=points, on=effective_on, entry_id=None
        )
    digest = payload_digest(payload)
    head = _lock_head(village)
    if (done := _replay(village, key, digest)) is not None:
        return done
    source, target, locked = _lock_issuance_and_household(village, household)
    if points > 0:
        moved = points
        kind = Transaction.Kind.AWARD
    else:
        moved = -min(-points, locked[target].balance)
        kind = Transaction.Kind.DEDUCT
    return _append(
        head=head,
        locked=locked,
        kind=kind,
        legs=[(source, -moved), (target, moved)],
        effective_on=effective_on,
        key=key,
        payload_hash=digest,
        by=by,
        household=household,
        entry=entry,
        score_delta=points,
        memo=memo,
    )


@transaction.atomic
def ledger_reverse(
    *, original: Transaction, key: str, by=None, memo: str = ""
) -> Transaction:
    """A correction: a new transaction that undoes an award or a deduction. It
    takes back from the balance only what is there (points already spent stay
    spent); the score loses the whole original effect."""
    village = original.village
    payload = {"op": "reverse", "original": original.pk}
    digest = payload_digest(payload)
    head = _lock_head(village)
    if (done := _replay(village, key, digest)) is not None:
        return done
    if original.kind not in (Transaction.Kind.AWARD, Transaction.Kind.DEDUCT):
        raise PointsError(_("Only awards and deductions can be reversed."))
    if Transaction.objects.filter(reverses=original).exists():
        raise PointsError(_("This transaction has already been reversed."))
    source = issuance_account(village)
    target = household_account(original.household)
    locked = _lock_accounts([source, target])
    moved_before = sum(
        p.amount for p in original.postings.all() if p.account_id == target.pk
    )
    back = -moved_before
    if back < 0:
        back = -min(-back, locked[target.pk].balance)
    return _append(
        head=head,
        locked=locked,
        kind=Transaction.Kind.REVERSAL,
        legs=[(source.pk, -back), (target.pk, back)],
        effective_on=original.effective_on,
        key=key,
        payload_hash=digest,
        by=by,
        household=original.household,
        entry=original.entry,
        reverses=original,
        score_delta=-original.score_delta,
        memo=memo,
    )


def _debit(
    *,
    household,
    amount: int,
    to: str,
    kind: str,
    key: str,
    payload: dict,
    on: dt.date | None,
    by,
    memo: str,
) -> Transaction:
    if amount <= 0:
        raise PointsError(_("The amount must be a positive whole number."))
    village = household.village
    digest = payload_digest(payload)
    head = _lock_head(village)
    if (done := _replay(village, key, digest)) is not None:
        return done
    source = household_account(household)
    target = expiry_account(village) if to == "expiry" else shop_account(village, to)
    locked = _lock_accounts([source, target])
    if locked[source.pk].balance < amount:
        raise PointsError(_("Not enough points."))
    return _append(
        head=head,
        locked=locked,
        kind=kind,
        legs=[(source.pk, -amount), (target.pk, amount)],
        effective_on=on or timezone.localdate(),
        key=key,
        payload_hash=digest,
        by=by,
        household=household,
        memo=memo,
    )


@transaction.atomic
def ledger_expire(
    *, household, amount: int, key: str, by=None, on: dt.date | None = None
) -> Transaction:
    """Points that lapse: household → expiry. Never touches the score."""
    payload = {"op": "expire", "household": household.pk, "amount": amount}
    return _debit(
        household=household,
        amount=amount,
        to="expiry",
        kind=Transaction.Kind.EXPIRE,
        key=key,
        payload=payload,
        on=on,
        by=by,
        memo="",
    )


@transaction.atomic
def ledger_spend(
    *,
    household,
    shop_code: str,
    amount: int,
    key: str,
    by=None,
    memo: str = "",
    receipt: dict | None = None,
) -> Transaction:
    """A redemption: household → shop. The shop's voucher service calls this; it
    never touches the score, so spending never lowers a rank. ``receipt`` (see
    ``points.seals.receipt``) puts what the shop handed over under the hash."""
    if not shop_code:
        raise PointsError(_("A shop is needed."))
    if receipt is None:
        payload = seals.spend_payload_v1(
            household_id=household.pk, shop_code=shop_code, amount=amount
        )
    else:
        payload = seals.spend_payload(
            household_id=household.pk,
            shop_code=shop_code,
            amount=amount,
            receipt=receipt,
        )
    return _debit(
        household=household,
        amount=amount,
        to=shop_code,
        kind=Transaction.Kind.SPEND,
        key=key,
        payload=payload,
        on=None,
        by=by,
        memo=memo,
    )


@transaction.atomic
def ledger_settle(
    *, village, shop_code: str, amount: int, key: str, by=None, memo: str = ""
) -> Transaction:
    """A shop's settlement: the points it took go back to the village (shop →
    issuance) when the village pays the shop in yuan. Never touches a score."""
    if not shop_code:
        raise PointsError(_("A shop is needed."))
    if amount <= 0:
        raise PointsError(_("The amount must be a positive whole number."))
    payload = {"op": "settle", "shop": shop_code, "amount": amount}
    digest = payload_digest(payload)
    head = _lock_head(village)
    if (done := _replay(village, key, digest)) is not None:
        return done
    source = shop_account(village, shop_code)
    target = issuance_account(village)
    locked = _lock_accounts([source, target])
    if locked[source.pk].balance < amount:
        raise PointsError(_("Not enough points."))
    return _append(
        head=head,
        locked=locked,
        kind=Transaction.Kind.SETTLE,
        legs=[(source.pk, -amount), (target.pk, amount)],
        effective_on=timezone.localdate(),
        key=key,
        payload_hash=digest,
        by=by,
        memo=memo,
    )


@transaction.atomic
def ledger_seal(
    *, village, kind: str, key: str, payload_hash: str, by=None, memo: str = ""
) -> Transaction:
    """A transaction that moves no points and seals a record (a published list's
    snapshot) into the chain: its digest is the transaction's payload hash."""
    if kind != Transaction.Kind.LIST:
        raise PointsError(_("Only a published list is sealed into the ledger."))
    head = _lock_head(village)
    if (done := _replay(village, key, payload_hash)) is not None:
        return done
    return _append(
        head=head,
        locked={},
        kind=kind,
        legs=[],
        effective_on=timezone.localdate(),
        key=key,
        payload_hash=payload_hash,
        by=by,
        memo=memo,
    )

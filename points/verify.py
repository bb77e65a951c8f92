"""Re-derive the ledger from its rows: the chain, the balance of every transaction
and every account's cached balance. Reads only; ``manage.py ledger_verify`` runs it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from points.models import Account, LedgerHead, Posting, Transaction
from points.services.ledger import GENESIS, transaction_digest


@dataclass
class Problem:
    village_id: int
    seq: int | None
    transaction_id: int | None
    message: str

    def __str__(self) -> str:
        where = f"village {self.village_id}"
        if self.seq is not None:
            where += f", transaction #{self.seq} (id {self.transaction_id})"
        return f"{where}: {self.message}"


def verify_village(village_id: int, *, chunk: int = 20000) -> list[Problem]:
    """Every problem in one village's ledger; the first is the first bad entry."""
    problems: list[Problem] = []
    sums: dict[int, int] = defaultdict(int)
    legs_by_tx: dict[int, list[tuple[int, int]]] = defaultdict(list)
    postings = (
        Posting.objects.filter(transaction__village_id=village_id)
        .order_by("transaction_id", "pk")
        .values_list("transaction_id", "account_id", "amount")
    )
    for tx_id, account_id, amount in postings.iterator(chunk_size=chunk):
        legs_by_tx[tx_id].append((account_id, amount))
        sums[account_id] += amount

    prev_hash = GENESIS
    expected_seq = 1
    fields = [
        "pk",
        "seq",
        "kind",
        "household_id",
        "entry_id",
        "reverses_id",
        "score_delta",
        "effective_on",
        "memo",
        "idempotency_key",
        "payload_hash",
        "created_at",
        "created_by_id",
        "prev_hash",
        "hash",
    ]
    rows = (
        Transaction.objects.filter(village_id=village_id)
        .order_by("seq")
        .values_list(*fields)
    )
    last_seq, last_hash = 0, GENESIS
    for row in rows.iterator(chunk_size=chunk):
        r = dict(zip(fields, row, strict=True))
        legs = legs_by_tx.pop(r["pk"], [])

        def bad(message: str, r=r) -> None:
            problems.append(Problem(village_id, r["seq"], r["pk"], message))

        if r["seq"] != expected_seq:
            bad(f"expected number {expected_seq}: a transaction is missing")
        if r["prev_hash"] != prev_hash:
            bad("does not follow the transaction before it (chain broken)")
        if sum(n for _, n in legs) != 0:
            bad("does not balance")
        digest = transaction_digest(
            prev_hash=r["prev_hash"],
            village_id=village_id,
            seq=r["seq"],
            kind=r["kind"],
            household_id=r["household_id"],
            entry_id=r["entry_id"],
            reverses_id=r["reverses_id"],
            score_delta=r["score_delta"],
            effective_on=r["effective_on"],
            memo=r["memo"],
            idempotency_key=r["idempotency_key"],
            payload_hash=r["payload_hash"],
            created_at=r["created_at"],
            created_by_id=r["created_by_id"],
            legs=legs,
        )
        if digest != r["hash"]:
            bad("its content or postings were changed (hash mismatch)")
        prev_hash = r["hash"]
        expected_seq = r["seq"] + 1
        last_seq, last_hash = r["seq"], r["hash"]
    for tx_id in legs_by_tx:
        problems.append(
            Problem(village_id, None, tx_id, "postings of a missing transaction")
        )
    head = LedgerHead.objects.filter(village_id=village_id).first()
    if head and (head.seq, head.hash) != (last_seq, last_hash):
        problems.append(
            Problem(
                village_id,
                None,
                None,
                f"chain head says #{head.seq} but the ledger ends at #{last_seq}",
            )
        )
    for account in Account.objects.filter(village_id=village_id):
        derived = sums.get(account.pk, 0)
        if account.balance != derived:
            problems.append(
                Problem(
                    village_id,
                    None,
                    None,
                    f"account {account.pk} ({account}) holds {account.balance} "
                    f"but its postings sum to {derived}",
                )
            )
    return problems


def verify_all(village_ids: list[int] | None = None) -> list[Problem]:
    if village_ids is None:
        village_ids = sorted(
            set(Transaction.objects.values_list("village_id", flat=True).distinct())
            | set(Account.objects.values_list("village_id", flat=True).distinct())
        )
    problems: list[Problem] = []
    for village_id in village_ids:
        problems.extend(verify_village(village_id))
    return problems

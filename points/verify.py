"""Re-derive the ledger from its rows: the chain, the balance of every transaction,
every account's cached balance, and every record people read as the record (an
entry, a published list, a shop receipt) against what the chain says about it.
Reads only; ``manage.py ledger_verify`` runs it.

One pass over the chain and one over each kind of record, each a single streamed
query (``iterator(chunk_size=…)``) merge-joined in Python: the number of queries
does not depend on the number of rows, and memory holds one chunk plus per-account
sums and the scores of published lists.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from points import seals
from points.models import (
    Account,
    Entry,
    EntryPhoto,
    EntryStep,
    LedgerHead,
    ListLine,
    Posting,
    RankingList,
    Transaction,
)
from points.services.ledger import GENESIS, transaction_digest

CHUNK = 20000


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


# Records kept by higher apps (the shop's receipts) are checked by functions they
# register from ``AppConfig.ready()``: check(village_id) → problems.
RecordCheck = Callable[[int], Iterable[Problem]]
_record_checks: dict[str, RecordCheck] = {}


def register_record_check(name: str, check: RecordCheck) -> None:
    _record_checks[name] = check


Progress = Callable[[int, int], None]

TX_FIELDS = [
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


class _Lists:
    """The village's published lists, and the scores the chain gives their lines."""

    def __init__(self, village_id: int) -> None:
        self.rankings = list(
            RankingList.objects.filter(
                village_id=village_id, status=RankingList.Status.PUBLISHED
            )
            .order_by("pk")
            .values(*seals.RANKING_FIELDS)
        )
        self.hash_at: dict[int, str] = {0: GENESIS}
        self.wanted = {r["chain_seq"] for r in self.rankings}
        self.scores: dict[int, dict[int, int]] = {r["pk"]: {} for r in self.rankings}
        self.seals: dict[str, tuple[int, int, str]] = {}
        self._covering: dict[dt.date, list[tuple[int, int]]] = {}

    def _lists_on(self, day: dt.date) -> list[tuple[int, int]]:
        if day not in self._covering:
            self._covering[day] = [
                (r["pk"], r["chain_seq"])
                for r in self.rankings
                if r["starts_on"] <= day <= r["ends_on"]
            ]
        return self._covering[day]

    def see(self, r: dict) -> None:
        if r["seq"] in self.wanted:
            self.hash_at[r["seq"]] = r["hash"]
        if r["kind"] == Transaction.Kind.LIST:
            self.seals[r["idempotency_key"]] = (r["seq"], r["pk"], r["payload_hash"])
        if r["score_delta"] and self.rankings:
            for pk, chain_seq in self._lists_on(r["effective_on"]):
                if r["seq"] <= chain_seq:
                    scores = self.scores[pk]
                    household = r["household_id"]
                    scores[household] = scores.get(household, 0) + r["score_delta"]

    def check(self, village_id: int) -> Iterator[Problem]:
        lines_by_list: dict[int, list[dict]] = defaultdict(list)
        for line in (
            ListLine.objects.filter(
                ranking__village_id=village_id,
                ranking__status=RankingList.Status.PUBLISHED,
            )
            .order_by("ranking_id", "pk")
            .values(*seals.LINE_FIELDS)
        ):
            lines_by_list[line["ranking_id"]].append(line)
        for ranking in self.rankings:
            pk = ranking["pk"]
            lines = lines_by_list.get(pk, [])
            seal = self.seals.get(f"list:{pk}")
            seq, tx_id = (seal[0], seal[1]) if seal else (None, None)

            def bad(message: str, seq=seq, tx_id=tx_id, pk=pk) -> Problem:
                return Problem(
                    village_id, seq, tx_id, f"published list {pk}: {message}"
                )

            at = self.hash_at.get(ranking["chain_seq"])
            if at != ranking["chain_hash"]:
                yield bad(
                    f"says it was computed from the chain at #{ranking['chain_seq']} "
                    f"({ranking['chain_hash'][:12]}…), but the chain there is "
                    f"{(at or 'missing')[:12]}…"
                )
            derived = self.scores[pk]
            for line in lines:
                score = derived.get(line["household_id"], 0)
                if line["score"] != score:
                    yield bad(
                        f"line {line['pk']} shows score {line['score']} but the "
                        f"chain gives {score}"
                    )
            if seal is not None:
                snapshot = seals.list_snapshot(ranking=ranking, lines=lines)
                if snapshot != seal[2] or ranking["snapshot_hash"] != seal[2]:
                    yield bad(
                        "its lines or heading differ from the snapshot sealed in "
                        "the chain (snapshot mismatch)"
                    )
            elif (
                seals.list_snapshot_v1(ranking=ranking, lines=lines)
                != ranking["snapshot_hash"]
            ):
                # Published before lists were sealed into the chain.
                yield bad(
                    "its lines differ from the snapshot it was published with "
                    "(snapshot mismatch)"
                )


def _chain(
    village_id: int, lists: _Lists, chunk: int, progress: Progress | None
) -> tuple[list[Problem], dict[int, int]]:
    problems: list[Problem] = []
    sums: dict[int, int] = defaultdict(int)
    postings = (
        Posting.objects.filter(transaction__village_id=village_id)
        .order_by("transaction__seq", "pk")
        .values_list("transaction_id", "account_id", "amount")
        .iterator(chunk_size=chunk)
    )
    pending = next(postings, None)
    rows = (
        Transaction.objects.filter(village_id=village_id)
        .order_by("seq")
        .values_list(*TX_FIELDS)
    )
    prev_hash = GENESIS
    expected_seq = 1
    last_seq, last_hash = 0, GENESIS
    count = 0
    for row in rows.iterator(chunk_size=chunk):
        r = dict(zip(TX_FIELDS, row, strict=True))
        legs = []
        while pending is not None and pending[0] == r["pk"]:
            legs.append((pending[1], pending[2]))
            sums[pending[1]] += pending[2]
            pending = next(postings, None)

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
        lists.see(r)
        prev_hash = r["hash"]
        expected_seq = r["seq"] + 1
        last_seq, last_hash = r["seq"], r["hash"]
        count += 1
        if progress is not None and count % chunk == 0:
            progress(village_id, count)
    if progress is not None:
        progress(village_id, count)
    if pending is not None:
        # Postings are joined to their transactions: only a row out of order.
        problems.append(
            Problem(village_id, None, pending[0], "postings out of chain order")
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
    return problems, sums


def _deeds() -> dict[str, Subquery]:
    txs = Transaction.objects.filter(entry=OuterRef("pk"))
    deed = txs.filter(kind__in=[Transaction.Kind.AWARD, Transaction.Kind.DEDUCT])
    reversal = txs.filter(kind=Transaction.Kind.REVERSAL)
    return {
        "deed_id": Subquery(deed.values("pk")[:1]),
        "deed_seq": Subquery(deed.values("seq")[:1]),
        "deed_payload": Subquery(deed.values("payload_hash")[:1]),
        "reversal_id": Subquery(reversal.values("pk")[:1]),
    }


ENTRY_FIELDS = [
    "pk",
    "household_id",
    "points",
    "occurred_on",
    "item_id",
    "item__rulebook_id",
    "item__code",
    "item__name",
    "item__category__name",
    "recorded_by_id",
    "reviewed_by_id",
    "status",
    "deed_id",
    "deed_seq",
    "deed_payload",
    "reversal_id",
]
IN_CHAIN = {Entry.Status.FINAL, Entry.Status.REVERSED}


def _entries(village_id: int, chunk: int) -> Iterator[Problem]:
    """Each entry as the household reads it against the transaction that made it
    final: the transaction's payload (under its hash) must be the entry's."""
    photos = (
        EntryPhoto.objects.filter(entry__village_id=village_id)
        .order_by("entry_id", "pk")
        .values_list("entry_id", "image", "width", "height")
        .iterator(chunk_size=chunk)
    )
    photo = next(photos, None)
    # Steps are merge-joined too: a "last step" subquery (ORDER BY pk LIMIT 1)
    # lets PostgreSQL walk the whole steps table backwards for every entry.
    steps = (
        EntryStep.objects.filter(entry__village_id=village_id)
        .order_by("entry_id", "pk")
        .values_list("entry_id", "kind")
        .iterator(chunk_size=chunk)
    )
    step = next(steps, None)
    rows = (
        Entry.objects.filter(village_id=village_id)
        .annotate(**_deeds())
        .order_by("pk")
        .values_list(*ENTRY_FIELDS)
    )
    for row in rows.iterator(chunk_size=chunk):
        e = dict(zip(ENTRY_FIELDS, row, strict=True))
        evidence = []
        while photo is not None and photo[0] <= e["pk"]:
            if photo[0] == e["pk"]:
                evidence.append(photo[1:])
            photo = next(photos, None)
        e["last_step"] = None
        while step is not None and step[0] <= e["pk"]:
            if step[0] == e["pk"]:
                e["last_step"] = step[1]
            step = next(steps, None)

        def bad(message: str, e=e) -> Problem:
            return Problem(
                village_id, e["deed_seq"], e["deed_id"], f"entry {e['pk']}: {message}"
            )

        status = e["status"]
        if e["last_step"] is None or EntryStep.STATUS_AFTER[e["last_step"]] != status:
            yield bad(f"its status {status!r} is not where its steps lead")
        if e["deed_id"] is None:
            if status in IN_CHAIN:
                yield bad(f"marked {status!r} but no transaction records it")
            continue
        if status not in IN_CHAIN:
            yield bad(f"marked {status!r} but a transaction made it final")
        if (e["reversal_id"] is not None) != (status == Entry.Status.REVERSED):
            yield bad(f"marked {status!r} against its reversal in the chain")
        v2, v1 = seals.deed_digests(
            entry_id=e["pk"],
            household_id=e["household_id"],
            points=e["points"],
            on=e["occurred_on"],
            item_id=e["item_id"],
            rulebook_id=e["item__rulebook_id"],
            item_words=(e["item__code"], e["item__name"], e["item__category__name"]),
            recorded_by_id=e["recorded_by_id"],
            reviewed_by_id=e["reviewed_by_id"],
            evidence=evidence,
        )
        if e["deed_payload"] not in (v2, v1):
            yield bad(
                "says something its transaction did not record "
                "(household, item, points, date, people or evidence changed)"
            )


def verify_village(
    village_id: int, *, chunk: int = CHUNK, progress: Progress | None = None
) -> list[Problem]:
    """Every problem in one village's ledger; the first is the first bad entry."""
    lists = _Lists(village_id)
    problems, sums = _chain(village_id, lists, chunk, progress)
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
    problems.extend(_entries(village_id, chunk))
    problems.extend(lists.check(village_id))
    for check in _record_checks.values():
        problems.extend(check(village_id))
    return problems


def verify_all(
    village_ids: list[int] | None = None, *, progress: Progress | None = None
) -> list[Problem]:
    if village_ids is None:
        village_ids = sorted(
            set(Transaction.objects.values_list("village_id", flat=True).distinct())
            | set(Account.objects.values_list("village_id", flat=True).distinct())
            | set(Entry.objects.values_list("village_id", flat=True).distinct())
        )
    problems: list[Problem] = []
    for village_id in village_ids:
        problems.extend(verify_village(village_id, progress=progress))
    return problems

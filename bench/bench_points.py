"""Points ledger at county scale: 10,000 households and 1,000,000 transactions.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/points_bench \\
        .venv/bin/python bench/bench_points.py [HOUSEHOLDS] [TRANSACTIONS]

Prints: the bulk load, the posting rate through the ledger service beside a bare
INSERT rate into a table of the same shape (same run, same database), the time to
compute a period ranking (target < 1 s), to draft, review and publish a list, and
to run ``ledger_verify``. Without DATABASE_URL it uses a throwaway SQLite file; the
numbers that matter are PostgreSQL's. Use a scratch database: the script adds a
village to it.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "site"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
_tmp = tempfile.TemporaryDirectory(prefix="bench-points-")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from _report import note, record  # noqa: E402

HOUSEHOLDS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
TRANSACTIONS = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
POSTINGS_MEASURED = 2_000
BATCH = 20_000


# Targets of the design: a ranking of the whole village within a second.
TARGETS = {"period ranking, year (all households ranked)": 1.0}


def timed(label: str, fn, *args, **kwargs):
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    took = time.perf_counter() - t0
    print(f"{label}: {took:.2f}s")
    target = TARGETS.get(label)
    record(
        f"points: {label}",
        took,
        "s",
        target=target,
        compare=None if target is None else "<",
    )
    return result


def bulk_load(village, households, accounts, issuance, year: int) -> None:
    """Append TRANSACTIONS valid, chained transactions fast (COPY on PostgreSQL)."""
    from points.models import Account, LedgerHead, Posting, Transaction
    from points.services.ledger import GENESIS, payload_digest, transaction_digest

    rng = random.Random(7)
    start = dt.date(year, 1, 1)
    base = timezone.now() - dt.timedelta(days=30)
    balances = dict.fromkeys(accounts.values(), 0)
    balances[issuance] = 0
    next_tx = (
        Transaction.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    next_posting = (
        Posting.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    prev = GENESIS
    tx_cols = [
        "id",
        "village_id",
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
    tx_rows, posting_rows = [], []

    def flush():
        if connection.vendor == "postgresql":
            raw = connection.connection
            with raw.cursor() as cur:
                with cur.copy(
                    f"COPY points_transaction ({', '.join(tx_cols)}) FROM STDIN"
                ) as copy:
                    for row in tx_rows:
                        copy.write_row(row)
                with cur.copy(
                    "COPY points_posting (id, transaction_id, account_id, amount) FROM STDIN"
                ) as copy:
                    for row in posting_rows:
                        copy.write_row(row)
        else:
            Transaction.objects.bulk_create(
                [Transaction(**dict(zip(tx_cols, r, strict=True))) for r in tx_rows],
                batch_size=2000,
            )
            Posting.objects.bulk_create(
                [
                    Posting(id=a, transaction_id=b, account_id=c, amount=d)
                    for a, b, c, d in posting_rows
                ],
                batch_size=2000,
            )
        tx_rows.clear()
        posting_rows.clear()

    for seq in range(1, TRANSACTIONS + 1):
        h = households[rng.randrange(len(households))]
        account = accounts[h]
        # one household in twenty-five behaves badly: most of its deeds are deductions
        good = 0.85 if h % 25 else 0.2
        points = rng.randint(1, 30) if rng.random() < good else -rng.randint(1, 20)
        moved = points if points > 0 else -min(-points, balances[account])
        legs = [(issuance, -moved), (account, moved)] if moved else []
        on = start + dt.timedelta(days=rng.randrange(365))
        created = base + dt.timedelta(microseconds=seq * 7)
        key = f"bulk-{seq}"
        payload = payload_digest(
            {
                "op": "deed",
                "household": h,
                "points": points,
                "on": on.isoformat(),
                "entry": None,
            }
        )
        kind = "award" if points > 0 else "deduct"
        digest = transaction_digest(
            prev_hash=prev,
            village_id=village.pk,
            seq=seq,
            kind=kind,
            household_id=h,
            entry_id=None,
            reverses_id=None,
            score_delta=points,
            effective_on=on,
            memo="",
            idempotency_key=key,
            payload_hash=payload,
            created_at=created,
            created_by_id=None,
            legs=legs,
        )
        tx_id = next_tx
        next_tx += 1
        tx_rows.append(
            [
                tx_id,
                village.pk,
                seq,
                kind,
                h,
                None,
                None,
                points,
                on,
                "",
                key,
                payload,
                created,
                None,
                prev,
                digest,
            ]
        )
        for account_id, amount in legs:
            posting_rows.append([next_posting, tx_id, account_id, amount])
            next_posting += 1
            balances[account_id] += amount
        prev = digest
        if len(tx_rows) >= BATCH:
            flush()
    flush()
    for account_id, balance in balances.items():
        Account.objects.filter(pk=account_id).update(balance=balance)
    LedgerHead.objects.update_or_create(
        village=village, defaults={"seq": TRANSACTIONS, "hash": prev}
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for table in ("points_transaction", "points_posting"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT MAX(id) FROM {table}))"
                )
            cur.execute("ANALYZE points_transaction")
            cur.execute("ANALYZE points_posting")


def main() -> None:
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"database: {connection.vendor}, migrated in {time.perf_counter() - t0:.1f}s")
    print(f"households: {HOUSEHOLDS:,}, transactions: {TRANSACTIONS:,}")
    note("database", connection.vendor)
    note("size", f"{HOUSEHOLDS:,} households, {TRANSACTIONS:,} transactions")

    from points.models import Account, Transaction
    from points.selectors import period_scores
    from points.services.ledger import (
        household_account,
        issuance_account,
        ledger_record_deed,
    )
    from points.services.lists import (
        line_review,
        list_draft,
        list_notify,
        list_publish,
        ranking_for_period,
    )
    from points.verify import verify_village
    from tests.factories import MembershipFactory, UserFactory, VillageFactory
    from villages.models import Household

    pid = os.getpid()
    village = VillageFactory(name=f"基准村{pid}", slug=f"bench-points-{pid}")
    committee, second = (
        MembershipFactory(
            village=village,
            is_committee=True,
            user=UserFactory(
                username=f"bench-{pid}-{k}", phone=f"+8613{pid % 10**8:08d}{k}"
            ),
        ).user
        for k in (1, 2)
    )
    Household.objects.bulk_create(
        [Household(village=village, number=f"H{i:05d}") for i in range(HOUSEHOLDS)],
        batch_size=5000,
    )
    households = list(
        Household.objects.filter(village=village).values_list("pk", flat=True)
    )
    Account.objects.bulk_create(
        [
            Account(village=village, kind="household", household_id=h)
            for h in households
        ],
        batch_size=5000,
    )
    accounts = dict(
        Account.objects.filter(village=village, kind="household").values_list(
            "household_id", "pk"
        )
    )
    issuance = issuance_account(village).pk
    year = timezone.localdate().year - 1

    t0 = time.perf_counter()
    bulk_load(village, households, accounts, issuance, year)
    elapsed = time.perf_counter() - t0
    print(
        f"bulk load (COPY, hashes computed in Python): {elapsed:.1f}s, {TRANSACTIONS / elapsed:,.0f} tx/s"
    )
    record("points: bulk load rate", TRANSACTIONS / elapsed, "tx/s")

    # Posting rate through the service (head lock, idempotency, account locks,
    # balances, hash) against bare single-row INSERTs into a same-shape table.
    sample = Household.objects.filter(village=village).order_by("pk")[:200]
    sample = list(sample)
    t0 = time.perf_counter()
    for i in range(POSTINGS_MEASURED):
        ledger_record_deed(
            household=sample[i % len(sample)],
            points=5,
            effective_on=dt.date(year, 12, 31),
            key=f"svc-{i}",
        )
    service_rate = POSTINGS_MEASURED / (time.perf_counter() - t0)
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_bare_tx")
        if connection.vendor == "postgresql":
            cur.execute(
                "CREATE TABLE bench_bare_tx (LIKE points_transaction INCLUDING DEFAULTS)"
            )
        else:
            cur.execute(
                "CREATE TABLE bench_bare_tx AS SELECT * FROM points_transaction WHERE 0"
            )
    row = (
        Transaction.objects.filter(village=village)
        .values_list(
            "village_id",
            "kind",
            "household_id",
            "score_delta",
            "effective_on",
            "memo",
            "payload_hash",
            "created_at",
            "prev_hash",
            "hash",
        )
        .first()
    )
    t0 = time.perf_counter()
    for i in range(POSTINGS_MEASURED):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                "INSERT INTO bench_bare_tx (id, village_id, seq, kind, household_id, score_delta, "
                "effective_on, memo, idempotency_key, payload_hash, created_at, prev_hash, hash) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    i + 1,
                    row[0],
                    i + 1,
                    row[1],
                    row[2],
                    row[3],
                    row[4],
                    row[5],
                    f"bare-{i}",
                    row[6],
                    row[7],
                    row[8],
                    row[9],
                ],
            )
    bare_rate = POSTINGS_MEASURED / (time.perf_counter() - t0)
    with connection.cursor() as cur:
        cur.execute("DROP TABLE bench_bare_tx")
    print(
        f"posting rate: {service_rate:,.0f} tx/s through ledger_record_deed "
        f"(2 postings, locks, hash chain) vs {bare_rate:,.0f} bare single-row INSERTs/s "
        f"({service_rate / bare_rate:.0%})"
    )
    record("points: posting rate through ledger_record_deed", service_rate, "tx/s")
    record("points: bare single-row INSERT rate", bare_rate, "tx/s")

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    timed("period scores, year (aggregate only)", period_scores, village, start, end)
    timed(
        "period ranking, year (all households ranked)",
        ranking_for_period,
        village,
        start,
        end,
    )
    timed(
        "period ranking, quarter",
        ranking_for_period,
        village,
        dt.date(year, 10, 1),
        end,
    )
    timed(
        "period ranking, month", ranking_for_period, village, dt.date(year, 12, 1), end
    )

    ranking = timed(
        "list draft (year)",
        list_draft,
        village=village,
        period="year",
        starts_on=start,
        ends_on=end,
        by=committee,
    )
    ranking = timed(
        "list notify (tell black-listed households)",
        list_notify,
        ranking=ranking,
        by=committee,
    )
    lines = list(ranking.lines.filter(color="black"))
    timed(
        f"review {len(lines)} black lines",
        lambda: [line_review(line=x, by=second, keep=True, note="核实") for x in lines],
    )
    timed(
        "list publish (freeze snapshot)",
        list_publish,
        ranking=ranking,
        by=committee,
        now=ranking.objection_ends_at + dt.timedelta(seconds=1),
    )

    problems = timed(
        "ledger_verify (chain, balances, entries, lists, receipts)",
        verify_village,
        village.pk,
    )
    record("points: ledger_verify problems", len(problems), target=0, compare="==")
    # Verification is one streamed pass per kind of row: its time should stay a
    # small multiple of merely reading the transactions, whatever their number.
    from points.verify import TX_FIELDS

    t0 = time.perf_counter()
    read = sum(
        1
        for _row in Transaction.objects.filter(village=village)
        .order_by("seq")
        .values_list(*TX_FIELDS)
        .iterator(chunk_size=20_000)
    )
    bare = time.perf_counter() - t0
    t0 = time.perf_counter()
    verify_village(village.pk)
    full = time.perf_counter() - t0
    print(
        f"ledger_verify: {read / full:,.0f} tx/s, {full / bare:.1f}× a bare streamed "
        f"read of the {read:,} transactions ({bare:.2f}s)"
    )
    record("points: ledger_verify over a bare read", full / bare, "×")
    if problems:
        sys.exit(f"ledger_verify found problems: {problems[:3]}")
    print(
        f"ledger verified: {Transaction.objects.filter(village=village).count():,} transactions"
    )
    household_account  # noqa: B018  (imported for readers: accounts come from it)


if __name__ == "__main__":
    try:
        main()
    finally:
        _tmp.cleanup()

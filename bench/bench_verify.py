"""``ledger_verify`` stays linear: a village of N final entries, then one of 4N.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/verify_bench \\
        .venv/bin/python bench/bench_verify.py [ENTRIES]

Builds each village in bulk (entries with their steps, the deeds that made them
final with full-substance hashes, postings, balances), then times ``verify_village``
and counts its queries. Prints the ratio of the two times (linear ≈ 4) and the two
query counts (equal: verification streams, it does not query per row). Without
DATABASE_URL it uses a throwaway SQLite file; use a scratch database.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "site"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
_tmp = tempfile.TemporaryDirectory(prefix="bench-verify-")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from _report import record  # noqa: E402

ENTRIES = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
HOUSEHOLDS = 500
BATCH = 5_000


def build(n: int, tag: str) -> int:
    from points import seals
    from points.models import (
        Account,
        Entry,
        EntryStep,
        LedgerHead,
        Posting,
        Transaction,
    )
    from points.services.ledger import GENESIS, transaction_digest
    from tests.factories import MembershipFactory, UserFactory, VillageFactory
    from tests.points.factories import (
        RuleBookFactory,
        RuleCategoryFactory,
        RuleItemFactory,
    )
    from villages.models import Household

    village = VillageFactory(name=f"核验村{tag}", slug=f"bench-verify-{tag}")
    recorder, reviewer = (
        MembershipFactory(
            village=village,
            is_committee=True,
            user=UserFactory(
                username=f"bv-{tag}-{k}", phone=f"+86139{tag[-6:]:0>6}{k}0"
            ),
        ).user
        for k in (1, 2)
    )
    today = timezone.localdate()
    book = RuleBookFactory(village=village, year=today.year)
    item = RuleItemFactory(
        category=RuleCategoryFactory(rulebook=book, name="社会公德"),
        code="A01",
        name="参加志愿服务",
        points=5,
    )
    households = Household.objects.bulk_create(
        [
            Household(village=village, number=f"V{tag}-{i:04d}")
            for i in range(HOUSEHOLDS)
        ]
    )
    issuance = Account.objects.create(village=village, kind="issuance")
    accounts = Account.objects.bulk_create(
        [Account(village=village, kind="household", household=h) for h in households]
    )
    now = timezone.now()
    prev, seq = GENESIS, 0
    balances = [0] * HOUSEHOLDS
    for start in range(0, n, BATCH):
        size = min(BATCH, n - start)
        entries = Entry.objects.bulk_create(
            [
                Entry(
                    village=village,
                    household=households[(start + i) % HOUSEHOLDS],
                    item=item,
                    points=5,
                    occurred_on=today,
                    status="final",
                    recorded_by=recorder,
                    reviewed_by=reviewer,
                    reviewed_at=now,
                    notice_ends_at=now,
                    idempotency_key=f"b{start + i}",
                )
                for i in range(size)
            ]
        )
        EntryStep.objects.bulk_create(
            [
                EntryStep(entry=e, kind=kind, by=by, at=now)
                for e in entries
                for kind, by in (
                    ("recorded", recorder),
                    ("approved", reviewer),
                    ("final", None),
                )
            ]
        )
        txs, legs_of = [], []
        for i, e in enumerate(entries):
            h = (start + i) % HOUSEHOLDS
            seq += 1
            payload = seals.payload_digest(
                seals.deed_payload(
                    entry_id=e.pk,
                    household_id=e.household_id,
                    points=5,
                    on=today,
                    item_id=item.pk,
                    rulebook_id=book.pk,
                    item_words=(item.code, item.name, "社会公德"),
                    recorded_by_id=recorder.pk,
                    reviewed_by_id=reviewer.pk,
                    evidence=[],
                )
            )
            legs = [(issuance.pk, -5), (accounts[h].pk, 5)]
            digest = transaction_digest(
                prev_hash=prev,
                village_id=village.pk,
                seq=seq,
                kind="award",
                household_id=e.household_id,
                entry_id=e.pk,
                reverses_id=None,
                score_delta=5,
                effective_on=today,
                memo=item.name,
                idempotency_key=f"entry:{e.pk}",
                payload_hash=payload,
                created_at=now,
                created_by_id=reviewer.pk,
                legs=legs,
            )
            txs.append(
                Transaction(
                    village=village,
                    seq=seq,
                    kind="award",
                    household_id=e.household_id,
                    entry=e,
                    score_delta=5,
                    effective_on=today,
                    memo=item.name,
                    idempotency_key=f"entry:{e.pk}",
                    payload_hash=payload,
                    created_at=now,
                    created_by=reviewer,
                    prev_hash=prev,
                    hash=digest,
                )
            )
            legs_of.append(legs)
            balances[h] += 5
            prev = digest
        txs = Transaction.objects.bulk_create(txs)
        Posting.objects.bulk_create(
            [
                Posting(transaction=tx, account_id=a, amount=amount)
                for tx, legs in zip(txs, legs_of, strict=True)
                for a, amount in legs
            ]
        )
    for account, balance in zip(accounts, balances, strict=True):
        account.balance = balance
    Account.objects.bulk_update(accounts, ["balance"], batch_size=BATCH)
    issuance.balance = -sum(balances)
    issuance.save(update_fields=["balance"])
    LedgerHead.objects.create(village=village, seq=seq, hash=prev)
    return village.pk


def measure(village_id: int) -> tuple[float, int]:
    from points.verify import verify_village

    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        problems = verify_village(village_id)
        took = time.perf_counter() - t0
    if problems:
        sys.exit(f"ledger_verify found problems: {problems[:3]}")
    return took, len(queries)


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    tag = str(os.getpid())
    small = build(ENTRIES, f"{tag}1")
    large = build(4 * ENTRIES, f"{tag}4")
    t_small, q_small = measure(small)
    t_large, q_large = measure(large)
    print(
        f"ledger_verify with entries: {ENTRIES:,} in {t_small:.2f}s "
        f"({q_small} queries), {4 * ENTRIES:,} in {t_large:.2f}s ({q_large} queries)"
    )
    print(f"time ratio for 4× the entries: {t_large / t_small:.2f} (linear ≈ 4)")
    record("points: ledger_verify time for 4× the entries", t_large / t_small, "×")
    record(
        "points: ledger_verify queries, 4× the entries minus 1×",
        q_large - q_small,
        target=0,
        compare="==",
    )


if __name__ == "__main__":
    main()

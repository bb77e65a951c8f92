"""Stateful property test: random sequences of award, deduct, reverse, appeal,
expire and a stand-in spend, against a small reference model.

Invariants after every step: every transaction balances, every cached balance is
the sum of its postings, no spendable balance is negative, the scores match the
model (spending never changes them), and the chain verifies at the end.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from points.models import Account, Posting, Transaction
from points.selectors import household_score
from points.services.entries import (
    appeal_decide,
    appeal_file,
    entry_approve,
    entry_finalize,
    entry_record,
)
from points.services.errors import IdempotencyConflict, PointsError
from points.services.ledger import (
    ledger_expire,
    ledger_record_deed,
    ledger_reverse,
    ledger_spend,
)
from points.verify import verify_village
from tests.factories import HouseholdFactory, MembershipFactory, VillageFactory
from tests.points.factories import RuleBookFactory, RuleItemFactory

ON = dt.date(2026, 4, 1)
ALL = (dt.date(2000, 1, 1), dt.date(2100, 1, 1))
HOUSEHOLDS = 3


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.village = VillageFactory()
        self.households = [
            HouseholdFactory(village=self.village) for _ in range(HOUSEHOLDS)
        ]
        self.reps = [
            MembershipFactory(
                village=self.village, household=h, is_household_rep=True
            ).user
            for h in self.households
        ]
        self.recorder = MembershipFactory(village=self.village, is_committee=True).user
        self.decider = MembershipFactory(village=self.village, is_committee=True).user
        book = RuleBookFactory(village=self.village, year=timezone.localdate().year)
        self.items = {
            sign: RuleItemFactory(category__rulebook=book, points=20 * sign)
            for sign in (1, -1)
        }
        # the reference model
        self.balance = [0] * HOUSEHOLDS
        self.score = [0] * HOUSEHOLDS
        self.reversible: list[tuple[int, int, int]] = []  # (tx id, household, moved)
        self.keys: dict[str, tuple] = {}
        self.n = 0

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def key(self) -> str:
        self.n += 1
        return f"k{self.n}"

    @initialize()
    def start(self):
        pass

    @rule(h=st.integers(0, HOUSEHOLDS - 1), points=st.integers(1, 60))
    def award(self, h, points):
        key = self.key()
        tx = ledger_record_deed(
            household=self.households[h], points=points, effective_on=ON, key=key
        )
        self.balance[h] += points
        self.score[h] += points
        self.reversible.append((tx.pk, h, points))
        self.keys[key] = ("deed", h, points)

    @rule(h=st.integers(0, HOUSEHOLDS - 1), points=st.integers(1, 60))
    def deduct(self, h, points):
        key = self.key()
        tx = ledger_record_deed(
            household=self.households[h], points=-points, effective_on=ON, key=key
        )
        moved = min(points, self.balance[h])
        self.balance[h] -= moved
        self.score[h] -= points
        self.reversible.append((tx.pk, h, -moved))
        self.keys[key] = ("deed", h, -points)

    @precondition(lambda self: self.reversible)
    @rule(data=st.data())
    def reverse(self, data):
        i = data.draw(st.integers(0, len(self.reversible) - 1))
        tx_id, h, moved = self.reversible.pop(i)
        original = Transaction.objects.get(pk=tx_id)
        ledger_reverse(original=original, key=self.key())
        back = -moved if moved < 0 else -min(moved, self.balance[h])
        self.balance[h] += back
        self.score[h] -= original.score_delta
        with pytest.raises(PointsError):
            ledger_reverse(original=original, key=self.key())

    @rule(
        h=st.integers(0, HOUSEHOLDS - 1),
        sign=st.sampled_from([1, -1]),
        outcome=st.sampled_from(["none", "upheld", "reversed"]),
    )
    def entry_through_appeal(self, h, sign, outcome):
        household = self.households[h]
        entry = entry_record(
            village=self.village,
            household=household,
            item=self.items[sign],
            points=None,
            occurred_on=timezone.localdate(),
            note="",
            by=self.recorder,
            key=self.key(),
        )
        entry = entry_approve(entry=entry, by=self.decider)
        if outcome != "none":
            appeal = appeal_file(entry=entry, by=self.reps[h], reason="申诉")
            with pytest.raises(PointsError):
                appeal_decide(
                    appeal=appeal, by=self.recorder, reverse_entry=True, reason="x"
                )
            appeal_decide(
                appeal=appeal,
                by=self.decider,
                reverse_entry=outcome == "reversed",
                reason="核实",
            )
        became_final = entry_finalize(
            entry=entry, now=entry.notice_ends_at + dt.timedelta(seconds=1)
        )
        assert became_final == (outcome != "reversed")
        if became_final:
            points = 20 * sign
            moved = points if points > 0 else -min(-points, self.balance[h])
            self.balance[h] += moved
            self.score[h] += points

    @rule(h=st.integers(0, HOUSEHOLDS - 1), amount=st.integers(1, 80))
    def expire(self, h, amount):
        if amount > self.balance[h]:
            with pytest.raises(PointsError):
                ledger_expire(
                    household=self.households[h], amount=amount, key=self.key()
                )
        else:
            ledger_expire(household=self.households[h], amount=amount, key=self.key())
            self.balance[h] -= amount

    @rule(h=st.integers(0, HOUSEHOLDS - 1), amount=st.integers(1, 80))
    def spend(self, h, amount):
        household = self.households[h]
        score_before = household_score(household, *ALL)
        if amount > self.balance[h]:
            with pytest.raises(PointsError):
                ledger_spend(
                    household=household,
                    shop_code="store",
                    amount=amount,
                    key=self.key(),
                )
        else:
            ledger_spend(
                household=household, shop_code="store", amount=amount, key=self.key()
            )
            self.balance[h] -= amount
        assert household_score(household, *ALL) == score_before

    @precondition(lambda self: self.keys)
    @rule(data=st.data(), tweak=st.booleans())
    def replay(self, data, tweak):
        key = data.draw(st.sampled_from(sorted(self.keys)))
        _, h, points = self.keys[key]
        count = Transaction.objects.count()
        if tweak:
            with pytest.raises(IdempotencyConflict):
                ledger_record_deed(
                    household=self.households[h],
                    points=points + (1 if points > 0 else -1),
                    effective_on=ON,
                    key=key,
                )
        else:
            tx = ledger_record_deed(
                household=self.households[h], points=points, effective_on=ON, key=key
            )
            assert tx.replayed
        assert Transaction.objects.count() == count

    @invariant()
    def books_balance(self):
        unbalanced = (
            Posting.objects.filter(transaction__village=self.village)
            .values("transaction")
            .annotate(s=Sum("amount"))
            .exclude(s=0)
        )
        assert not unbalanced.exists()
        sums = dict(
            Posting.objects.filter(account__village=self.village)
            .values_list("account")
            .annotate(s=Sum("amount"))
            .order_by()
        )
        for pk, kind, balance in Account.objects.filter(
            village=self.village
        ).values_list("pk", "kind", "balance"):
            assert balance == sums.get(pk, 0)
            if kind != Account.Kind.ISSUANCE:
                assert balance >= 0

    @invariant()
    def matches_the_model(self):
        balances = dict(
            Account.objects.filter(household__in=self.households).values_list(
                "household", "balance"
            )
        )
        scores = dict(
            Transaction.objects.filter(village=self.village)
            .values_list("household")
            .annotate(s=Sum("score_delta"))
            .order_by()
        )
        for h, household in enumerate(self.households):
            assert balances.get(household.pk, 0) == self.balance[h]
            assert (scores.get(household.pk) or 0) == self.score[h]

    @invariant()
    def chain_verifies(self):
        if self.n % 5 == 0:
            assert verify_village(self.village.pk) == []


@pytest.mark.django_db
def test_ledger_invariants_hold_in_random_sequences():
    # 200 sequences on SQLite and 100 more on PostgreSQL in each `make test`.
    from django.db import connection

    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=200 if connection.vendor == "sqlite" else 100,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        ),
    )

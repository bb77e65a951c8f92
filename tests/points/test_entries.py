"""Entries: record, review with recusal, 公示, appeal, finalise, correct."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

import pytest

from audit.models import AuditEntry
from notifications.models import Notification
from points.models import Appeal, Entry, RankingList, Transaction
from points.selectors import household_balance
from points.services.entries import (
    appeal_decide,
    appeal_file,
    entries_finalize_due,
    entry_approve,
    entry_record,
    entry_reject,
    entry_reverse,
)
from points.services.errors import IdempotencyConflict, PointsError
from points.verify import verify_village
from tests.factories import GridFactory, HouseholdFactory


def today():
    return timezone.localdate()


def record(village, household, item, by, key="e1", **kw):
    kw.setdefault("points", None)
    kw.setdefault("occurred_on", today())
    kw.setdefault("note", "")
    return entry_record(
        village=village, household=household, item=item, by=by, key=key, **kw
    )


def after_notice(entry):
    return entry.notice_ends_at + dt.timedelta(seconds=1)


@pytest.mark.django_db
def test_grid_worker_records_for_a_household_in_the_grid(
    village, household, good_item, grid_worker
):
    entry = record(village, household, good_item, grid_worker)
    assert entry.status == Entry.Status.PROPOSED and entry.points == 10
    assert AuditEntry.objects.filter(action="points.entry_record").count() == 1
    # the same request twice is recorded once
    assert record(village, household, good_item, grid_worker).pk == entry.pk
    with pytest.raises(IdempotencyConflict):
        record(village, household, good_item, grid_worker, note="different")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("other_grid", "may not record"),
        ("foreign", "not in this village"),
        ("too_many", "between"),
        ("wrong_sign", "between"),
        ("future", "future"),
        ("last_year", "rules do not apply"),
        ("closed", "closed"),
    ],
)
def test_bad_entries_are_refused_and_nothing_is_written(
    case, message, village, other_village, household, good_item, grid_worker, committee
):
    kw = {}
    target = household
    if case == "other_grid":
        target = HouseholdFactory(village=village, grid=GridFactory(village=village))
    elif case == "foreign":
        target = HouseholdFactory(village=other_village)
    elif case == "too_many":
        kw["points"] = 11
    elif case == "wrong_sign":
        kw["points"] = -3
    elif case == "future":
        kw["occurred_on"] = today() + dt.timedelta(days=1)
    elif case == "last_year":
        kw["occurred_on"] = dt.date(today().year - 1, 6, 1)
    elif case == "closed":
        RankingList.objects.create(
            village=village,
            period="year",
            starts_on=dt.date(today().year, 1, 1),
            ends_on=dt.date(today().year, 12, 31),
            status="published",
            created_by=committee,
            published_at=timezone.now(),
            chain_hash="0" * 64,
        )
    with pytest.raises(PointsError, match=message):
        record(village, target, good_item, grid_worker, **kw)
    assert Entry.objects.count() == 0


@pytest.mark.django_db
def test_cap_per_year_and_evidence(village, household, good_item, grid_worker):
    good_item.cap_per_year = 1
    good_item.evidence_required = False
    good_item.save()
    record(village, household, good_item, grid_worker, key="a")
    with pytest.raises(PointsError, match="at most 1"):
        record(village, household, good_item, grid_worker, key="b")
    good_item.cap_per_year = None
    good_item.evidence_required = True
    good_item.save()
    with pytest.raises(PointsError, match="photo"):
        record(village, household, good_item, grid_worker, key="c")


@pytest.mark.django_db
def test_nobody_approves_for_their_own_household(
    village, household, good_item, grid_worker, committee_in_household
):
    entry = record(village, household, good_item, grid_worker)
    with pytest.raises(PointsError, match="own household"):
        entry_approve(entry=entry, by=committee_in_household)
    with pytest.raises(PointsError, match="committee"):
        entry_approve(entry=entry, by=grid_worker)
    assert Entry.objects.get().status == Entry.Status.PROPOSED


@pytest.mark.django_db
def test_reject_needs_a_reason(village, household, good_item, grid_worker, committee):
    entry = record(village, household, good_item, grid_worker)
    with pytest.raises(PointsError, match="reason"):
        entry_reject(entry=entry, by=committee, reason="  ")
    entry = entry_reject(entry=entry, by=committee, reason="照片不清楚")
    assert entry.status == Entry.Status.REJECTED
    with pytest.raises(PointsError, match="already"):
        entry_approve(entry=entry, by=committee)


@pytest.mark.django_db
def test_approved_entry_is_pending_until_the_notice_ends(
    village, household, good_item, grid_worker, committee, household_rep
):
    entry = record(village, household, good_item, grid_worker)
    entry = entry_approve(entry=entry, by=committee)
    assert entry.status == Entry.Status.APPROVED
    assert Notification.objects.filter(recipient=household_rep).count() == 1
    assert entries_finalize_due(village=village) == 0
    assert household_balance(household) == 0
    assert entries_finalize_due(village=village, now=after_notice(entry)) == 1
    entry.refresh_from_db()
    assert entry.status == Entry.Status.FINAL
    assert household_balance(household) == 10
    # finalising again does nothing
    assert entries_finalize_due(village=village, now=after_notice(entry)) == 0
    assert Transaction.objects.count() == 1
    assert verify_village(village.pk) == []


@pytest.mark.django_db
def test_appeal_reversed_by_another_committee_member(
    village,
    household,
    good_item,
    committee,
    second_committee,
    household_rep,
):
    entry = record(village, household, good_item, committee)
    entry = entry_approve(entry=entry, by=second_committee)
    appeal = appeal_file(entry=entry, by=household_rep, reason="那天我不在村里")
    # the open appeal holds the entry back
    assert entries_finalize_due(village=village, now=after_notice(entry)) == 0
    with pytest.raises(PointsError, match="recorded the entry"):
        appeal_decide(appeal=appeal, by=committee, reverse_entry=True, reason="x")
    appeal = appeal_decide(
        appeal=appeal, by=second_committee, reverse_entry=True, reason="核实有误"
    )
    assert appeal.status == Appeal.Status.REVERSED
    entry.refresh_from_db()
    assert entry.status == Entry.Status.OVERTURNED
    assert entries_finalize_due(village=village, now=after_notice(entry)) == 0
    assert household_balance(household) == 0


@pytest.mark.django_db
def test_upheld_appeal_lets_the_entry_become_final(
    village, household, bad_item, grid_worker, committee, household_rep
):
    entry = entry_approve(
        entry=record(village, household, bad_item, grid_worker), by=committee
    )
    appeal = appeal_file(entry=entry, by=household_rep, reason="不服")
    appeal_decide(appeal=appeal, by=committee, reverse_entry=False, reason="有照片为证")
    assert entries_finalize_due(village=village, now=after_notice(entry)) == 1


@pytest.mark.django_db
def test_appeal_refusals(
    village, household, good_item, grid_worker, committee, household_rep, neighbour
):
    from tests.factories import MembershipFactory

    stranger = MembershipFactory(village=village, household=neighbour).user
    entry = record(village, household, good_item, grid_worker)
    with pytest.raises(PointsError, match="in public notice"):
        appeal_file(entry=entry, by=household_rep, reason="x")
    entry = entry_approve(entry=entry, by=committee)
    with pytest.raises(PointsError, match="household itself"):
        appeal_file(entry=entry, by=stranger, reason="x")
    Entry.objects.filter(pk=entry.pk).update(
        notice_ends_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with pytest.raises(PointsError, match="too late"):
        appeal_file(entry=entry, by=household_rep, reason="x")
    assert Appeal.objects.count() == 0


@pytest.mark.django_db
def test_database_refuses_a_decision_by_the_recorder(
    village, household, good_item, committee, household_rep
):
    entry = record(village, household, good_item, committee)
    entry = entry_approve(entry=entry, by=committee)
    appeal = appeal_file(entry=entry, by=household_rep, reason="x")
    appeal.status = Appeal.Status.UPHELD
    appeal.decided_by = committee
    appeal.decision_reason = "自己说了算"
    with pytest.raises(IntegrityError), transaction.atomic():
        appeal.save()


@pytest.mark.django_db
def test_a_final_entry_is_corrected_by_a_reversal(
    village, household, good_item, grid_worker, committee
):
    entry = entry_approve(
        entry=record(village, household, good_item, grid_worker), by=committee
    )
    entries_finalize_due(village=village, now=after_notice(entry))
    entry = entry_reverse(entry=Entry.objects.get(), by=committee, reason="重复登记")
    assert entry.status == Entry.Status.REVERSED
    kinds = list(Transaction.objects.order_by("seq").values_list("kind", flat=True))
    assert kinds == ["award", "reversal"]
    assert household_balance(household) == 0
    assert verify_village(village.pk) == []
    with pytest.raises(PointsError):
        entry_reverse(entry=entry, by=committee, reason="again")


@pytest.mark.django_db
def test_annual_budget_caps_issuance(
    village, household, good_item, grid_worker, committee
):
    from points.services.entries import settings_for

    s = settings_for(village)
    s.annual_budget = 15
    s.save()
    entry_approve(
        entry=record(village, household, good_item, grid_worker), by=committee
    )
    second = record(village, household, good_item, grid_worker, key="e2")
    with pytest.raises(PointsError, match="budget"):
        entry_approve(entry=second, by=committee)

"""What households read is under the chain, not beside it.

A final entry and a published list are refused any change by the database, on
SQLite and PostgreSQL; someone who goes around the triggers (the database owner)
is named by ``manage.py ledger_verify``, which exits non-zero; and the household's
page shows, for an entry in the ledger, the points the chain holds."""

import datetime as dt
import io

from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from points import seals
from points.models import Entry, EntryStep, ListLine, RankingList, Transaction
from points.services.entries import (
    entries_finalize_due,
    entry_approve,
    entry_record,
    entry_reverse,
)
from points.services.lists import list_draft
from points.verify import verify_village
from tests.factories import HouseholdFactory, UserFactory
from tests.points.factories import RuleItemFactory
from tests.points.test_lists import END, START, publish_ready, scored  # noqa: F401
from tests.points.test_views import jpeg

pytestmark = pytest.mark.django_db


def behind_the_back(table: str, sql: str, params: list) -> None:
    """What someone with the database owner's password could do: switch the
    table's triggers off (PostgreSQL) or drop them (SQLite), then write."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        else:
            for suffix in ("_frozen_update", "_frozen_delete", "_frozen_insert"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}{suffix}")
            cursor.execute(sql, params)


def refused(sql: str, params: list) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params)


def verify_fails(*patterns: str) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("ledger_verify", stderr=err)
    text = f"{failure.value}\n{err.getvalue()}"
    for pattern in patterns:
        assert pattern in text, text
    return text


def make_final(
    village, household, item, grid_worker, committee, *, key="e1", photo=None
):
    from points.images import photo_prepare

    photos = [photo_prepare(photo)] if photo is not None else []
    entry = entry_record(
        village=village,
        household=household,
        item=item,
        points=None,
        occurred_on=timezone.localdate(),
        note="",
        by=grid_worker,
        key=key,
        photos=photos,
    )
    entry = entry_approve(entry=entry, by=committee)
    entries_finalize_due(now=entry.notice_ends_at + dt.timedelta(seconds=1))
    return Entry.objects.get(pk=entry.pk)


@pytest.fixture
def final(village, household, good_item, grid_worker, committee):
    return make_final(
        village,
        household,
        good_item,
        grid_worker,
        committee,
        photo=jpeg(size=(200, 100)),
    )


def deed(entry) -> Transaction:
    return entry.transactions.get(kind__in=["award", "deduct"])


# -- the database refuses ------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("points", 999),
        ("occurred_on", "2026-01-02"),
        ("note", "改过"),
        ("status", "approved"),
        ("status", "proposed"),
    ],
)
def test_a_final_entry_refuses_raw_sql(final, column, value):
    sql = f"UPDATE points_entry SET {column} = %s WHERE id = %s"  # noqa: S608 (ours)
    refused(sql, [value, final.pk])
    refused("DELETE FROM points_entry WHERE id = %s", [final.pk])
    final.refresh_from_db()
    assert final.points == 10 and final.status == Entry.Status.FINAL


def test_who_whose_and_which_rule_of_a_final_entry_cannot_change(
    final, neighbour, bad_item, committee
):
    for column, value in [
        ("household_id", neighbour.pk),
        ("item_id", bad_item.pk),
        ("recorded_by_id", committee.pk),
        ("reviewed_by_id", final.recorded_by_id),
    ]:
        sql = f"UPDATE points_entry SET {column} = %s WHERE id = %s"  # noqa: S608
        refused(sql, [value, final.pk])


def test_the_evidence_of_a_final_entry_cannot_change(final):
    photo = final.photos.get()
    refused(
        "UPDATE points_entryphoto SET image = %s WHERE id = %s", ["x.jpg", photo.pk]
    )
    refused("DELETE FROM points_entryphoto WHERE id = %s", [photo.pk])
    refused(
        "INSERT INTO points_entryphoto (entry_id, image, width, height) "
        "VALUES (%s, %s, 1, 1)",
        [final.pk, "added.jpg"],
    )


def test_the_rule_item_of_a_final_entry_reads_the_same_ever_after(final, good_item):
    refused("UPDATE points_ruleitem SET name = '改名' WHERE id = %s", [good_item.pk])
    refused("UPDATE points_ruleitem SET points = 50 WHERE id = %s", [good_item.pk])
    refused(
        "UPDATE points_rulecategory SET name = '改名' WHERE id = %s",
        [good_item.category_id],
    )
    with connection.cursor() as cursor:  # the order on the rules page may move
        cursor.execute(
            'UPDATE points_ruleitem SET "order" = 9 WHERE id = %s', [good_item.pk]
        )


def test_a_rule_item_renamed_behind_the_triggers_is_named(final, good_item):
    behind_the_back(
        "points_ruleitem",
        "UPDATE points_ruleitem SET name = %s WHERE id = %s",
        ["看望老人", good_item.pk],
    )
    verify_fails(f"entry {final.pk}:", f"(id {deed(final).pk})")


def test_an_unused_rule_item_may_still_be_edited(bad_item, final):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE points_ruleitem SET name = '乱扔垃圾' WHERE id = %s", [bad_item.pk]
        )


def test_an_entry_under_review_may_still_move(
    village, household, good_item, grid_worker
):
    entry = entry_record(
        village=village,
        household=household,
        item=good_item,
        points=None,
        occurred_on=timezone.localdate(),
        note="",
        by=grid_worker,
        key="p",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE points_entry SET note = %s WHERE id = %s", ["补", entry.pk]
        )
    entry.refresh_from_db()
    assert entry.note == "补"


def test_a_final_entry_is_reversed_by_a_step_not_an_edit(final, second_committee):
    entry_reverse(entry=final, by=second_committee, reason="记错了")
    final.refresh_from_db()
    assert final.status == Entry.Status.REVERSED
    assert list(final.steps.values_list("kind", flat=True)) == [
        "recorded",
        "approved",
        "final",
        "reversed",
    ]
    # and a reversed entry is as frozen as a final one
    refused("UPDATE points_entry SET status = 'final' WHERE id = %s", [final.pk])
    refused("UPDATE points_entry SET points = 5 WHERE id = %s", [final.pk])
    assert verify_village(final.village_id) == []


def test_steps_are_append_only(final):
    step = final.steps.first()
    refused("UPDATE points_entrystep SET kind = 'rejected' WHERE id = %s", [step.pk])
    refused("DELETE FROM points_entrystep WHERE id = %s", [step.pk])


def test_status_is_where_the_steps_lead(
    village, household, good_item, grid_worker, committee
):
    make_final(village, household, good_item, grid_worker, committee)
    for entry in Entry.objects.all():
        last = entry.steps.order_by("pk").last()
        assert EntryStep.STATUS_AFTER[last.kind] == entry.status


# -- verify names what was changed behind the triggers -------------------------


@pytest.mark.parametrize(
    ("sql", "value"),
    [
        ("UPDATE points_entry SET points = %s WHERE id = %s", 999),
        ("UPDATE points_entry SET occurred_on = %s WHERE id = %s", "2020-01-01"),
        ("UPDATE points_entry SET item_id = %s WHERE id = %s", "bad_item"),
        ("UPDATE points_entry SET household_id = %s WHERE id = %s", "neighbour"),
        ("UPDATE points_entry SET recorded_by_id = %s WHERE id = %s", "stranger"),
        ("UPDATE points_entry SET reviewed_by_id = %s WHERE id = %s", "stranger"),
    ],
)
def test_an_entry_changed_behind_the_triggers_is_named(
    final, sql, value, bad_item, neighbour, client
):
    value = {
        "bad_item": bad_item.pk,
        "neighbour": neighbour.pk,
        "stranger": UserFactory().pk,
    }.get(value, value)
    behind_the_back("points_entry", sql, [value, final.pk])
    tx = deed(final)
    verify_fails(f"entry {final.pk}:", f"transaction #{tx.seq} (id {tx.pk})")


def test_evidence_swapped_behind_the_triggers_is_named(final):
    photo = final.photos.get()
    behind_the_back(
        "points_entryphoto",
        "UPDATE points_entryphoto SET image = %s WHERE id = %s",
        ["points/evidence/other.jpg", photo.pk],
    )
    tx = deed(final)
    verify_fails(f"entry {final.pk}:", f"(id {tx.pk})")


def test_a_status_set_behind_the_triggers_is_named(final):
    behind_the_back(
        "points_entry",
        "UPDATE points_entry SET status = 'approved' WHERE id = %s",
        [final.pk],
    )
    verify_fails(f"entry {final.pk}:", "transaction made it final")


def test_a_final_status_without_a_transaction_is_named(
    village, household, good_item, grid_worker, committee
):
    entry = entry_record(
        village=village,
        household=household,
        item=good_item,
        points=None,
        occurred_on=timezone.localdate(),
        note="",
        by=grid_worker,
        key="p",
    )
    entry_approve(entry=entry, by=committee)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE points_entry SET status = 'final' WHERE id = %s", [entry.pk]
        )
    verify_fails(f"entry {entry.pk}:", "no transaction records it")


def test_the_household_page_shows_only_what_verify_vouches_for(
    final, client, household, household_rep
):
    """Each value the page shows for the entry, changed behind the triggers,
    either does not reach the page (it reads the chain) or fails verification."""
    page = reverse(
        "points:household",
        kwargs={"village": household.village.slug, "number": household.number},
    )
    client.force_login(household_rep)
    before = client.get(page).content.decode()
    assert "+10" in before and "+999" not in before
    behind_the_back(
        "points_entry", "UPDATE points_entry SET points = 999 WHERE id = %s", [final.pk]
    )
    after = client.get(page).content.decode()
    assert "+999" not in after and "+10" in after
    verify_fails(f"entry {final.pk}:")


def test_an_older_chain_still_verifies_and_still_covers_the_points(
    village, household, good_item, grid_worker, committee, monkeypatch
):
    """A deed made before entries were fully hashed (payload v1) verifies after
    the migration; the points, household and date it did hash stay covered."""

    def v1(entry):
        return seals.deed_payload_v1(
            household_id=entry.household_id,
            points=entry.points,
            on=entry.occurred_on,
            entry_id=entry.pk,
        )

    monkeypatch.setattr(seals, "deed_payload_for", v1)
    entry = make_final(village, household, good_item, grid_worker, committee)
    monkeypatch.undo()
    assert verify_village(village.pk) == []
    behind_the_back(
        "points_entry", "UPDATE points_entry SET points = 7 WHERE id = %s", [entry.pk]
    )
    verify_fails(f"entry {entry.pk}:")


# -- published lists -----------------------------------------------------------


@pytest.fixture
def published(village, committee, scored):  # noqa: F811
    return publish_ready(
        list_draft(
            village=village, period="year", starts_on=START, ends_on=END, by=committee
        ),
        committee,
    )


def seal_of(ranking) -> Transaction:
    return Transaction.objects.get(kind="list", idempotency_key=f"list:{ranking.pk}")


def test_a_published_list_is_sealed_in_the_chain(published):
    tx = seal_of(published)
    assert tx.payload_hash == published.snapshot_hash
    assert tx.seq > published.chain_seq
    assert verify_village(published.village_id) == []


def test_a_published_list_refuses_raw_sql(published):
    line = published.lines.first()
    refused("UPDATE points_listline SET score = 1 WHERE id = %s", [line.pk])
    refused("UPDATE points_listline SET color = 'red' WHERE id = %s", [line.pk])
    refused("DELETE FROM points_listline WHERE id = %s", [line.pk])
    refused(
        "UPDATE points_rankinglist SET black_shown_until = %s WHERE id = %s",
        ["2099-01-01", published.pk],
    )
    refused("DELETE FROM points_rankinglist WHERE id = %s", [published.pk])


def test_consent_to_share_stays_the_households_choice(published):
    line = published.lines.filter(color="red").first()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE points_listline SET consent_to_share = %s WHERE id = %s",
            [True, line.pk],
        )
    assert verify_village(published.village_id) == []


@pytest.mark.parametrize(
    ("column", "value", "says"),
    [
        ("score", 1, "shows score 1 but the chain gives"),
        ("public_name", "李**", "snapshot mismatch"),
        ("color", "red", "snapshot mismatch"),
        ("review", "removed", "snapshot mismatch"),
    ],
)
def test_a_list_line_changed_behind_the_triggers_is_named(
    published, column, value, says
):
    line = published.lines.filter(color="black").first()
    behind_the_back(
        "points_listline",
        f"UPDATE points_listline SET {column} = %s WHERE id = %s",  # noqa: S608
        [value, line.pk],
    )
    tx = seal_of(published)
    verify_fails(
        f"published list {published.pk}:", says, f"transaction #{tx.seq} (id {tx.pk})"
    )


def test_a_list_and_its_snapshot_rewritten_together_are_named(published):
    """Rewriting a line and the list's own snapshot hash does not help: the
    snapshot that counts is the one in the chain."""
    line = published.lines.filter(color="black").first()
    behind_the_back(
        "points_listline",
        "UPDATE points_listline SET review = 'removed' WHERE id = %s",
        [line.pk],
    )
    lines = [
        seals.as_row(x, seals.LINE_FIELDS)
        for x in ListLine.objects.filter(ranking=published)
    ]
    forged = seals.list_snapshot(
        ranking=seals.as_row(published, seals.RANKING_FIELDS), lines=lines
    )
    behind_the_back(
        "points_rankinglist",
        "UPDATE points_rankinglist SET snapshot_hash = %s WHERE id = %s",
        [forged, published.pk],
    )
    verify_fails(f"published list {published.pk}:", "snapshot mismatch")


def test_a_list_computed_from_another_chain_head_is_named(published):
    behind_the_back(
        "points_rankinglist",
        "UPDATE points_rankinglist SET chain_hash = %s WHERE id = %s",
        ["f" * 64, published.pk],
    )
    verify_fails(f"published list {published.pk}:", "computed from the chain")


# -- verify stays linear ---------------------------------------------------------


def _village_with(n: int, village, grid_worker, committee, category):
    item = RuleItemFactory(category=category, code=f"N{n}", points=5)
    for i in range(n):
        household = HouseholdFactory(village=village, number=f"Q{n}-{i}")
        make_final(village, household, item, committee, committee, key=f"q{n}-{i}")


def test_verify_costs_the_same_queries_whatever_the_number_of_entries(
    village, grid_worker, committee, category, published
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert verify_village(village.pk) == []
        return len(queries)

    _village_with(2, village, grid_worker, committee, category)
    few = count()
    _village_with(8, village, grid_worker, committee, category)
    assert count() == few


def test_verify_prints_its_progress(final, capsys):
    call_command("ledger_verify")
    out = capsys.readouterr().out
    assert f"village {final.village_id}: 1 transactions checked" in out
    assert "ledger verified" in out


def test_verify_reports_progress_every_chunk(village, household):
    from points.services.ledger import ledger_record_deed

    for i in range(5):
        ledger_record_deed(
            household=household,
            points=1,
            effective_on=timezone.localdate(),
            key=f"x{i}",
        )
    seen = []
    verify_village(village.pk, chunk=2, progress=lambda v, n: seen.append(n))
    assert seen == [2, 4, 5]


def test_a_record_in_another_village_is_not_confused(final, other_village):
    assert RankingList.objects.count() == 0
    assert verify_village(other_village.pk) == []


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_with_a_final_entry_flushes(final):
    """SQLite empties tables with DELETE after such a test: the test runner lifts
    the frozen rows' DELETE triggers for the flush (tests/conftest.py)."""
    assert final.status == Entry.Status.FINAL


def test_the_frozen_triggers_are_back_after_the_flush(final):
    refused("DELETE FROM points_entry WHERE id = %s", [final.pk])


def test_a_list_published_before_lists_were_sealed_still_verifies(
    village,
    committee,
    scored,  # noqa: F811
    monkeypatch,
):
    """A list published by the first version (its snapshot v1, nothing sealed in
    the chain) verifies; its lines are still checked against that snapshot."""
    from points.services import lists

    def v1(ranking, lines):
        return seals.list_snapshot_v1(
            ranking=seals.as_row(ranking, seals.RANKING_FIELDS),
            lines=[seals.as_row(x, seals.LINE_FIELDS) for x in lines],
        )

    monkeypatch.setattr(lists, "_snapshot_hash", v1)
    monkeypatch.setattr(lists, "ledger_seal", lambda **kwargs: None)
    ranking = publish_ready(
        list_draft(
            village=village, period="year", starts_on=START, ends_on=END, by=committee
        ),
        committee,
    )
    monkeypatch.undo()
    assert not Transaction.objects.filter(kind="list").exists()
    assert verify_village(village.pk) == []
    line = ranking.lines.filter(color="black").first()
    behind_the_back(
        "points_listline",
        "UPDATE points_listline SET public_name = %s WHERE id = %s",
        ["李**", line.pk],
    )
    verify_fails(f"published list {ranking.pk}:", "snapshot mismatch")


def test_the_migration_gives_older_entries_their_history(
    village, household, good_item, grid_worker, committee
):
    """Entries made before steps were kept get them from their rows, appeals and
    transactions (the data migration), and then verify."""
    import importlib

    from django.apps import apps

    from points.models import EntryStep as Step

    migration = importlib.import_module(
        "points.migrations.0005_entry_steps_and_frozen_records"
    )
    entry = make_final(village, household, good_item, grid_worker, committee)
    with connection.cursor() as cursor:  # as if made before the steps existed
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE points_entrystep DISABLE TRIGGER USER")
            cursor.execute("DELETE FROM points_entrystep")
            cursor.execute("ALTER TABLE points_entrystep ENABLE TRIGGER USER")
        else:
            from audit.append_only import sqlite_delete_trigger

            cursor.execute("DROP TRIGGER IF EXISTS points_entrystep_no_delete")
            cursor.execute("DELETE FROM points_entrystep")
            cursor.execute(sqlite_delete_trigger("points_entrystep"))
    migration.backfill_steps(apps, None)
    assert list(Step.objects.filter(entry=entry).values_list("kind", flat=True)) == [
        "recorded",
        "approved",
        "final",
    ]
    assert verify_village(village.pk) == []

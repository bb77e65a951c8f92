import datetime
import decimal

from django.db import DatabaseError, transaction
from django.urls import reverse

import pytest

from audit.models import AuditEntry
from audit.services import audit_log


@pytest.fixture
def entry(village, committee, household):
    return audit_log(
        actor=committee,
        village=village,
        action="villages.household.move",
        target=household,
        before={"grid": "第一网格", "number": "LX-001"},
        after={"grid": "第二网格", "number": "LX-001"},
        note="搬家",
    )


def test_audit_log_records_who_what_where_and_the_change(
    entry, committee, village, household
):
    entry.refresh_from_db()
    assert entry.actor == committee
    assert entry.actor_name == committee.display_name
    assert entry.village == village
    assert entry.target_type == "villages.Household"
    assert entry.target_id == str(household.pk)
    assert entry.target_repr == "LX-001"
    assert entry.changes() == [("grid", "第一网格", "第二网格")]


def test_values_that_json_cannot_hold_are_kept_as_text(village, committee):
    entry = audit_log(
        actor=committee,
        village=village,
        action="test",
        after={
            "amount": decimal.Decimal("1234.50"),
            "day": datetime.date(2026, 11, 22),
        },
    )
    entry.refresh_from_db()
    assert entry.after == {"amount": "1234.50", "day": "2026-11-22"}


def test_committee_reads_the_log_with_the_change(client, entry, committee, village):
    client.force_login(committee)
    page = client.get(
        reverse("audit:log", kwargs={"village": village.slug})
    ).content.decode()
    assert "villages.household.move" in page
    assert "第二网格" in page and "搬家" in page


def test_log_shows_only_its_own_village(client, entry, other_village, other_committee):
    audit_log(actor=other_committee, village=other_village, action="elsewhere.only")
    client.force_login(other_committee)
    url = reverse("audit:log", kwargs={"village": other_village.slug})
    page = client.get(url).content.decode()
    assert "elsewhere.only" in page
    assert "villages.household.move" not in page


def test_log_page_costs_a_fixed_number_of_queries(
    client, village, committee, django_assert_max_num_queries
):
    for i in range(60):
        audit_log(actor=committee, village=village, action=f"test.{i}")
    client.force_login(committee)
    url = reverse("audit:log", kwargs={"village": village.slug})
    client.get(url)
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_to_change_or_delete_an_entry(village, committee):
    entry = audit_log(actor=committee, village=village, action="test.immutable")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="test.rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.action == "test.immutable"


@pytest.mark.django_db(transaction=True)
def test_removing_a_person_forgets_the_link_but_keeps_the_name(village, committee):
    entry = audit_log(actor=committee, village=village, action="test.kept")
    name = committee.display_name
    committee.memberships.all().delete()
    committee.delete()
    entry.refresh_from_db()
    assert entry.actor is None
    assert entry.actor_name == name


def test_the_log_names_actions_in_words(client, village, committee):
    audit_log(actor=committee, village=village, action="roster.import")
    audit_log(actor=committee, village=village, action="some.new.action")
    client.force_login(committee)
    page = client.get(
        reverse("audit:log", kwargs={"village": village.slug})
    ).content.decode()
    assert "导入了村民名册" in page
    assert "some.new.action" in page

"""Confirming a checked roster: what it writes, and that it writes it once."""

from django.urls import reverse

import pytest

from accounts.models import User
from audit.models import AuditEntry
from roster import planning
from roster.models import RosterImport
from tests.factories import GridFactory, MembershipFactory, UserFactory
from tests.roster.workbooks import person, workbook_bytes
from villages.models import Household, Membership

Status = RosterImport.Status


@pytest.fixture
def grid2(village, grid):
    return GridFactory(village=village, name="第二网格")


@pytest.fixture
def family(grid2):
    return [
        person(
            "王大山", "13800138000", "LX-101", "户主", 1965, "第一网格", "村民、户代表"
        ),
        person(
            "李桂芳", "138 0013 8001", "LX-101", "配偶", 1967, "第一网格", "村民代表"
        ),
        person("王小明", 13800138002, "LX-101", "儿子", 1990, "第一网格", "网格员"),
        person("陈店主", "+86 13800138003", "LX-102", "本人", 1980, "第二网格", "店主"),
        person("周委员", "13800138004", None, None, None, None, "村民，村两委"),
    ]


def _snapshot(village):
    return sorted(
        Membership.objects.filter(village=village).values_list(
            "user__phone",
            "user__name",
            "household__number",
            "grid__name",
            "relation",
            "birth_year",
            "is_resident",
            "is_household_rep",
            "is_grid_worker",
            "is_committee",
            "is_shopkeeper",
            "is_monitor",
            "is_villager_rep",
            "verified_at",
            "left_at",
        )
    )


def test_a_clean_roster_creates_people_households_and_roles(
    village, family, import_roster, committee
):
    roster_import = import_roster(workbook_bytes(family))

    assert roster_import.status == Status.DONE
    assert roster_import.processed_rows == roster_import.total_rows == 5
    assert roster_import.summary["created"] == 5
    assert roster_import.summary["updated"] == 0
    assert roster_import.summary["new_accounts"] == 5
    assert roster_import.summary["households_created"] == 2

    head = Membership.objects.get(village=village, user__phone="+8613800138000")
    assert head.user.name == "王大山"
    assert head.household.number == "LX-101"
    assert head.household.grid.name == "第一网格"
    assert head.relation == "head"
    assert head.birth_year == 1965
    assert head.roles == ["resident", "household_rep"]
    assert head.verified_at is not None
    assert not head.user.phone_verified
    assert not head.user.has_usable_password()

    assert Membership.objects.get(user__phone="+8613800138001").roles == [
        "villager_rep"
    ]
    assert Membership.objects.get(user__phone="+8613800138002").roles == ["grid_worker"]
    shop = Membership.objects.get(user__phone="+8613800138003")
    assert shop.roles == ["shopkeeper"]
    assert shop.relation == "head"
    assert shop.household.grid.name == "第二网格"
    clerk = Membership.objects.get(user__phone="+8613800138004")
    assert clerk.roles == ["resident", "committee"]
    assert clerk.household is None and clerk.birth_year is None

    entry = AuditEntry.objects.get(action="roster.import")
    assert entry.village == village
    assert entry.actor == committee
    assert entry.after["created"] == 5


def test_reimporting_the_same_file_changes_nothing(village, family, import_roster):
    content = workbook_bytes(family)
    import_roster(content)
    before = _snapshot(village)
    users = list(User.objects.order_by("pk").values())
    audit = AuditEntry.objects.count()

    again = import_roster(content)

    assert again.status == Status.DONE
    assert again.summary["created"] == 0
    assert again.summary["updated"] == 0
    assert again.summary["unchanged"] == 5
    assert _snapshot(village) == before
    assert list(User.objects.order_by("pk").values()) == users
    assert AuditEntry.objects.count() == audit


def test_a_person_of_another_village_joins_and_keeps_their_village(
    village, other_village, family, import_roster
):
    elsewhere = MembershipFactory(
        village=other_village,
        user=UserFactory(name="王大山（桃园）", phone="+8613800138000"),
        is_committee=True,
    )
    roster_import = import_roster(workbook_bytes(family))

    assert roster_import.summary["created"] == 5
    assert roster_import.summary["new_accounts"] == 4
    user = User.objects.get(phone="+8613800138000")
    assert user.pk == elsewhere.user.pk
    assert user.memberships.count() == 2
    elsewhere.refresh_from_db()
    assert elsewhere.is_committee and elsewhere.left_at is None
    assert Membership.objects.get(user=user, village=village).is_household_rep
    # Another village knows this person by their name: this village's file does
    # not rename them; they keep their password and verified phone.
    assert user.name == "王大山（桃园）"
    assert user.phone_verified
    assert user.has_usable_password()


def test_people_in_the_roster_are_updated_by_phone(
    village, household, household_rep, resident, import_roster, grid2
):
    # The representative hands the role to the resident; both in the file.
    rows = [
        person(
            household_rep.name,
            household_rep.phone,
            household.number,
            "户主",
            1950,
            "第一网格",
            "村民",
        ),
        person(
            "新名字",
            resident.phone,
            household.number,
            "子女",
            1985,
            "第一网格",
            "户代表",
        ),
    ]
    roster_import = import_roster(workbook_bytes(rows))

    assert roster_import.summary["created"] == 0
    assert roster_import.summary["updated"] == 2
    old = Membership.objects.get(user=household_rep, village=village)
    new = Membership.objects.get(user=resident, village=village)
    assert not old.is_household_rep and old.birth_year == 1950
    assert new.is_household_rep and not new.is_resident
    resident.refresh_from_db()
    assert resident.name == "新名字"


def test_a_person_who_left_is_taken_back(village, import_roster, grid):
    from django.utils import timezone

    gone = MembershipFactory(village=village, left_at=timezone.now())
    roster_import = import_roster(
        workbook_bytes(
            [person(gone.user.name, gone.user.phone, None, None, 1980, None, "村民")]
        )
    )
    assert roster_import.summary["updated"] == 1
    gone.refresh_from_db()
    assert gone.left_at is None


def test_confirming_twice_imports_once(
    village, family, committee_client, upload, django_capture_on_commit_callbacks
):
    upload(workbook_bytes(family))
    roster_import = RosterImport.objects.get()
    url = reverse(
        "roster:import_confirm",
        kwargs={"village": village.slug, "pk": roster_import.pk},
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        committee_client.post(url)
        committee_client.post(url)
    assert len(callbacks) == 1
    roster_import.refresh_from_db()
    assert roster_import.status == Status.DONE
    assert AuditEntry.objects.filter(action="roster.import").count() == 1
    assert Membership.objects.filter(village=village).count() == 6  # + committee


def test_an_invalid_import_cannot_be_confirmed(
    village, committee_client, upload, django_capture_on_commit_callbacks
):
    upload(workbook_bytes([person(phone="bad")]))
    roster_import = RosterImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        committee_client.post(
            reverse(
                "roster:import_confirm",
                kwargs={"village": village.slug, "pk": roster_import.pk},
            )
        )
    assert callbacks == []
    roster_import.refresh_from_db()
    assert roster_import.status == Status.INVALID


def test_the_village_changed_since_the_check(
    village,
    family,
    import_roster,
    grid2,
    upload,
    committee_client,
    django_capture_on_commit_callbacks,
):
    upload(workbook_bytes(family))
    roster_import = RosterImport.objects.get()
    grid2.delete()
    with django_capture_on_commit_callbacks(execute=True):
        committee_client.post(
            reverse(
                "roster:import_confirm",
                kwargs={"village": village.slug, "pk": roster_import.pk},
            )
        )
    roster_import.refresh_from_db()
    assert roster_import.status == Status.INVALID
    assert {(p["row"], p["code"]) for p in roster_import.errors} == {
        (5, "grid_unknown")
    }
    assert not Household.objects.filter(number="LX-101").exists()


def test_a_failing_import_saves_nothing(village, family, import_roster, monkeypatch):
    real = planning._apply_chunk
    calls = []

    def explode_on_second_chunk(plan, people, now):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(plan, people, now)

    monkeypatch.setattr(planning, "CHUNK", 2)
    monkeypatch.setattr(planning, "_apply_chunk", explode_on_second_chunk)
    before = Membership.objects.count(), User.objects.count(), Household.objects.count()

    roster_import = import_roster(workbook_bytes(family))

    assert roster_import.status == Status.FAILED
    assert roster_import.errors[0]["code"] == "failed"
    assert (
        Membership.objects.count(),
        User.objects.count(),
        Household.objects.count(),
    ) == before
    assert not AuditEntry.objects.filter(action="roster.import").exists()

"""From checked rows to the changes they make to a village, and making them.

The plan reads what the village already holds in a handful of queries (people by
phone, households, memberships), decides per row what is new and what changed,
and writes only that: a file imported twice writes nothing the second time.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import User
from roster.checking import Person, Problems
from villages.models import ROLE_FIELDS, Grid, Household, Membership, Role, Village

CHUNK = 500
# Keep IN (...) lists well under SQLite's limit on query parameters.
LOOKUP_CHUNK = 2_000

MEMBERSHIP_FIELDS = [
    "household",
    "grid",
    "relation",
    "birth_year",
    *ROLE_FIELDS.values(),
    "left_at",
    "verified_at",
]


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class RosterPlan:
    village: Village
    people: list[Person]
    grids: dict[str, Grid]
    households: dict[str, Household]
    # Household numbers the file creates, and existing households moved to a grid.
    new_households: dict[str, Grid | None] = field(default_factory=dict)
    moved_households: dict[str, Grid] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)  # by phone
    memberships: dict[int, Membership] = field(default_factory=dict)  # by user id
    # Existing people whose name the file changes.
    renamed: dict[str, str] = field(default_factory=dict)
    # Rows that change an existing membership (row → membership), or add one.
    changed_rows: set[int] = field(default_factory=set)
    created_rows: set[int] = field(default_factory=set)
    reps_to_clear: list[int] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        rows = len(self.people)
        created = len(self.created_rows)
        updated = len(self.changed_rows)
        return {
            "rows": rows,
            "created": created,
            "updated": updated,
            "unchanged": rows - created - updated,
            "new_accounts": sum(1 for p in self.people if p.phone not in self.users),
            "households_created": len(self.new_households),
            "households_updated": len(self.moved_households),
        }

    @property
    def has_changes(self) -> bool:
        return bool(
            self.created_rows
            or self.changed_rows
            or self.new_households
            or self.moved_households
        )

    # -- deciding --------------------------------------------------------------

    def desired(self, person: Person, household: Household | None) -> dict[str, Any]:
        """The membership fields this person's row asks for."""
        roles = person.roles or {Role.RESIDENT}
        values: dict[str, Any] = {
            "household": household,
            "grid": self.grids.get(person.grid) if person.grid else None,
            "relation": person.relation,
            "birth_year": person.birth_year,
            "left_at": None,
        }
        for role, field_name in ROLE_FIELDS.items():
            values[field_name] = role in roles
        return values


def _membership_differs(membership: Membership, values: dict[str, Any]) -> bool:
    for name, value in values.items():
        if name in ("household", "grid"):
            current = getattr(membership, f"{name}_id")
            wanted = value.pk if value is not None else None
            if value is not None and value.pk is None:
                return True  # a household the import is about to create
        else:
            current, wanted = getattr(membership, name), value
        if current != wanted:
            return True
    return membership.verified_at is None


def plan_roster(
    *, village: Village, people: list[Person], problems: Problems
) -> RosterPlan:
    """Compare the checked rows with the village; add conflicts to `problems`."""
    grids = {g.name: g for g in Grid.objects.filter(village=village)}
    households = {h.number: h for h in Household.objects.filter(village=village)}
    plan = RosterPlan(
        village=village, people=people, grids=grids, households=households
    )

    phones = [p.phone for p in people]
    for chunk in _chunks(phones, LOOKUP_CHUNK):
        for user in User.objects.filter(phone__in=chunk):
            plan.users[user.phone] = user
    user_ids = [u.pk for u in plan.users.values()]
    # People who also belong to another village keep their name: one village's
    # spreadsheet does not rename a person another village knows.
    elsewhere: set[int] = set()
    for chunk in _chunks(user_ids, LOOKUP_CHUNK):
        plan.memberships.update(
            (m.user_id, m)
            for m in Membership.objects.filter(village=village, user_id__in=chunk)
        )
        elsewhere.update(
            Membership.objects.active()
            .filter(user_id__in=chunk)
            .exclude(village=village)
            .values_list("user_id", flat=True)
        )

    # Households: the grid a household is in comes from the rows that name one.
    grid_of_household: dict[str, Grid] = {}
    for person in people:
        if person.household and person.grid:
            grid_of_household.setdefault(person.household, grids[person.grid])
    for person in people:
        number = person.household
        if not number:
            continue
        existing = households.get(number)
        if existing is None:
            plan.new_households.setdefault(number, grid_of_household.get(number))
        elif number in grid_of_household and (
            existing.grid_id != grid_of_household[number].pk
        ):
            plan.moved_households[number] = grid_of_household[number]

    # One representative per household: someone already holding the role who is
    # not in this file keeps it, so nobody in the file can take it from them.
    phones_in_file = set(phones)
    rep_rows = {
        p.household: p for p in people if Role.HOUSEHOLD_REP in p.roles and p.household
    }
    current_reps = (
        Membership.objects.active()
        .filter(village=village, is_household_rep=True)
        .select_related("user", "household")
    )
    for rep in current_reps:
        person = rep_rows.get(rep.household.number)
        if person and rep.user.phone not in phones_in_file:
            problems.add(
                person.row,
                "roles",
                "rep_existing",
                household=rep.household.number,
                name=rep.user.display_name,
            )

    for person in people:
        user = plan.users.get(person.phone)
        household = (
            households.get(person.household) or Household(number=person.household)
            if person.household
            else None
        )
        values = plan.desired(person, household)
        if user is None:
            plan.created_rows.add(person.row)
            continue
        if user.name != person.name and (not user.name or user.pk not in elsewhere):
            plan.renamed[person.phone] = person.name
        membership = plan.memberships.get(user.pk)
        if membership is None:
            plan.created_rows.add(person.row)
            continue
        if _membership_differs(membership, values):
            plan.changed_rows.add(person.row)
            if (
                membership.is_household_rep
                and membership.left_at is None
                and not (
                    values["is_household_rep"]
                    and household is not None
                    and household.pk == membership.household_id
                )
            ):
                plan.reps_to_clear.append(membership.pk)
        elif person.phone in plan.renamed:
            plan.changed_rows.add(person.row)
    return plan


def apply_plan(plan: RosterPlan, *, progress: Callable[[int], None]) -> None:
    """Write the plan. Call inside a transaction: it is all or nothing."""
    village, now = plan.village, timezone.now()

    if plan.new_households:
        Household.objects.bulk_create(
            Household(village=village, number=number, grid=grid)
            for number, grid in plan.new_households.items()
        )
        numbers = list(plan.new_households)
        for chunk in _chunks(numbers, LOOKUP_CHUNK):
            for household in Household.objects.filter(
                village=village, number__in=chunk
            ):
                plan.households[household.number] = household
    if plan.moved_households:
        moved = []
        for number, grid in plan.moved_households.items():
            household = plan.households[number]
            household.grid = grid
            moved.append(household)
        Household.objects.bulk_update(moved, ["grid"], batch_size=CHUNK)
    if plan.reps_to_clear:
        # Before any row takes a household's representative role, the people
        # losing it let go, so the one-representative constraint holds throughout.
        for chunk in _chunks(plan.reps_to_clear, LOOKUP_CHUNK):
            Membership.objects.filter(pk__in=chunk).update(is_household_rep=False)

    done = 0
    for chunk in _chunks(plan.people, CHUNK):
        _apply_chunk(plan, chunk, now)
        done += len(chunk)
        progress(done)


def _apply_chunk(plan: RosterPlan, people: Sequence[Person], now) -> None:
    unusable = make_password(None)
    new_users = [
        User(
            username=f"u{uuid.uuid4().hex}",
            name=p.name,
            phone=p.phone,
            phone_verified=False,  # they confirm it with their first login code
            password=unusable,
        )
        for p in people
        if p.phone not in plan.users
    ]
    if new_users:
        User.objects.bulk_create(new_users)
        for user in User.objects.filter(phone__in=[u.phone for u in new_users]):
            plan.users[user.phone] = user
    renamed = []
    for p in people:
        if p.phone in plan.renamed:
            user = plan.users[p.phone]
            user.name = plan.renamed[p.phone]
            renamed.append(user)
    if renamed:
        User.objects.bulk_update(renamed, ["name"])

    to_create, to_update = [], []
    for p in people:
        if p.row not in plan.created_rows and p.row not in plan.changed_rows:
            continue
        user = plan.users[p.phone]
        household = plan.households[p.household] if p.household else None
        values = plan.desired(p, household)
        membership = plan.memberships.get(user.pk)
        if membership is None:
            to_create.append(
                Membership(user=user, village=plan.village, verified_at=now, **values)
            )
            continue
        for name, value in values.items():
            setattr(membership, name, value)
        membership.verified_at = membership.verified_at or now
        to_update.append(membership)
    if to_update:
        Membership.objects.bulk_update(to_update, MEMBERSHIP_FIELDS)
    if to_create:
        Membership.objects.bulk_create(to_create)

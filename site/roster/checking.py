"""Checking every row of a roster before anything is saved.

Problems are kept as codes with parameters, not as sentences, so the report reads
in the language of whoever opens it later, not of whoever uploaded the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.phones import normalize_phone
from roster.columns import (
    HEADERS,
    RELATION_WORDS,
    ROLE_WORDS,
    cell_text,
    parse_year,
    split_roles,
)
from roster.reading import RawRow
from villages.models import Role

NAME_MAX = 60  # accounts.User.name
HOUSEHOLD_MAX = 30  # villages.Household.number
FIRST_YEAR = 1900

MESSAGES = {
    "name_missing": _("The name is missing."),
    "name_too_long": _("The name is longer than %(max)s characters."),
    "phone_missing": _("The phone number is missing."),
    "phone_invalid": _("“%(value)s” is not a valid phone number."),
    "phone_duplicate": _("This phone number is already on row %(first_row)s."),
    "household_too_long": _("The household number is longer than %(max)s characters."),
    "relation_unknown": _(
        "Unknown relation “%(value)s”. Use one of: 户主, 配偶, 子女, 儿媳/女婿, "
        "父母, 孙子女, 兄弟姐妹, 其他."
    ),
    "year_invalid": _(
        "“%(value)s” is not a year of birth between %(min)s and %(max)s."
    ),
    "grid_unknown": _(
        "There is no grid “%(value)s” in this village. The committee creates grids "
        "first; check the spelling."
    ),
    "grid_conflict": _(
        "Household %(household)s is in grid “%(grid)s” on row %(first_row)s."
    ),
    "role_unknown": _(
        "Unknown role “%(value)s”. Use: 村民, 户代表, 村民代表, 网格员, 村两委, "
        "店主, 村务监督委员会."
    ),
    "rep_without_household": _(
        "A household representative (户代表) needs a household number."
    ),
    "rep_duplicate": _(
        "Household %(household)s already has a representative (户代表) on row "
        "%(first_row)s."
    ),
    "rep_existing": _(
        "Household %(household)s already has a representative, %(name)s, who is not "
        "in this file. Add them to the file without the 户代表 role, or leave this "
        "role out."
    ),
    "failed": _("The import failed and nothing was saved. Please try again."),
    "unreadable": _("The stored file could not be read any more. Upload it again."),
}


def error_message(code: str, params: dict[str, Any] | None = None) -> str:
    message = MESSAGES.get(code, MESSAGES["failed"])
    return str(message % params) if params else str(message)


@dataclass(frozen=True)
class Person:
    """A row that passed its checks: what the roster should say about one person."""

    row: int
    name: str
    phone: str  # E.164
    household: str  # household number, "" for none
    relation: str
    birth_year: int | None
    grid: str  # grid name, "" for none
    roles: frozenset[str]


class Problems:
    """Collects the problems of a file, each with its row and column."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(self, row: int | None, column: str, code: str, **params: Any) -> None:
        self.items.append(
            {"row": row, "column": column, "code": code, "params": params}
        )

    def __bool__(self) -> bool:
        return bool(self.items)

    def sorted(self) -> list[dict[str, Any]]:
        order = list(HEADERS)
        return sorted(
            self.items,
            key=lambda p: (
                p["row"] or 0,
                order.index(p["column"]) if p["column"] in order else 99,
            ),
        )


def _phone(raw: Any) -> str:
    return normalize_phone(cell_text(raw))


def check_rows(
    rows: Iterable[RawRow], *, grid_names: set[str], problems: Problems
) -> list[Person]:
    """Check each row on its own and against the other rows of the file.

    Returns the rows without problems; `problems` gets one entry per problem.
    Checks against what the village already holds come after, in planning.
    """
    this_year = dt.date.today().year
    people: list[Person] = []
    first_row_of_phone: dict[str, int] = {}
    rep_row_of_household: dict[str, int] = {}
    grid_of_household: dict[str, tuple[str, int]] = {}

    for raw in rows:
        number, cells = raw.number, raw.cells
        before = len(problems.items)

        name = cell_text(cells.get("name"))
        if not name:
            problems.add(number, "name", "name_missing")
        elif len(name) > NAME_MAX:
            problems.add(number, "name", "name_too_long", max=NAME_MAX)

        phone = ""
        phone_text = cell_text(cells.get("phone"))
        if not phone_text:
            problems.add(number, "phone", "phone_missing")
        else:
            try:
                phone = _phone(cells.get("phone"))
            except ValidationError:
                problems.add(number, "phone", "phone_invalid", value=phone_text[:40])
        if phone:
            if phone in first_row_of_phone:
                problems.add(
                    number,
                    "phone",
                    "phone_duplicate",
                    first_row=first_row_of_phone[phone],
                )
            else:
                first_row_of_phone[phone] = number

        household = cell_text(cells.get("household"))
        if len(household) > HOUSEHOLD_MAX:
            problems.add(number, "household", "household_too_long", max=HOUSEHOLD_MAX)
            household = ""

        relation = ""
        relation_text = cell_text(cells.get("relation")).replace(" ", "")
        if relation_text:
            relation = RELATION_WORDS.get(relation_text, "")
            if not relation:
                problems.add(
                    number, "relation", "relation_unknown", value=relation_text[:40]
                )

        birth_year = None
        if cell_text(cells.get("birth_year")):
            birth_year = parse_year(cells.get("birth_year"))
            if birth_year is None or not FIRST_YEAR <= birth_year <= this_year:
                problems.add(
                    number,
                    "birth_year",
                    "year_invalid",
                    value=cell_text(cells.get("birth_year"))[:40],
                    min=FIRST_YEAR,
                    max=this_year,
                )
                birth_year = None

        grid = cell_text(cells.get("grid"))
        if grid and grid not in grid_names:
            problems.add(number, "grid", "grid_unknown", value=grid[:60])
        elif grid and household:
            first = grid_of_household.setdefault(household, (grid, number))
            if first[0] != grid:
                problems.add(
                    number,
                    "grid",
                    "grid_conflict",
                    household=household,
                    grid=first[0],
                    first_row=first[1],
                )

        roles: set[str] = set()
        for word in split_roles(cells.get("roles")):
            role = ROLE_WORDS.get(word)
            if role is None:
                problems.add(number, "roles", "role_unknown", value=word[:40])
            else:
                roles.add(role)
        if Role.HOUSEHOLD_REP in roles:
            if not household:
                problems.add(number, "household", "rep_without_household")
            elif household in rep_row_of_household:
                problems.add(
                    number,
                    "roles",
                    "rep_duplicate",
                    household=household,
                    first_row=rep_row_of_household[household],
                )
            else:
                rep_row_of_household[household] = number

        if len(problems.items) == before:
            people.append(
                Person(
                    row=number,
                    name=name,
                    phone=phone,
                    household=household,
                    relation=relation,
                    birth_year=birth_year,
                    grid=grid,
                    roles=frozenset(roles),
                )
            )
    return people

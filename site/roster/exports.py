"""The roster as a workbook, in exactly the layout the import reads back."""

from __future__ import annotations

import io

from roster.columns import (
    HEADERS,
    RELATION_EXPORT,
    ROLE_EXPORT,
    export_phone,
    neutralize,
)
from roster.selectors import roster_for_export
from villages.models import Village


def roster_row(membership) -> list:
    roles = [ROLE_EXPORT[role] for role in membership.roles]
    values = {
        "name": membership.user.name,
        "phone": export_phone(membership.user.phone),
        "household": membership.household.number if membership.household else "",
        "relation": RELATION_EXPORT.get(membership.relation, ""),
        "birth_year": membership.birth_year,
        "grid": membership.grid.name if membership.grid else "",
        "roles": "、".join(roles),
    }
    # Every text cell, phones included, goes through neutralize: a name typed as
    # `=HYPERLINK(...)` must reach the next spreadsheet as text, not as a formula.
    return [neutralize(values[key]) for key in HEADERS]


def text_cell(sheet, value):
    """A write-only cell; a string stays text, even when it looks like a number or
    a formula: phones and household numbers keep their leading zeros, and nothing a
    person typed runs."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        cell.number_format = "@"
    return cell


def roster_workbook(*, village: Village) -> tuple[bytes, int]:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title="花名册")
    sheet.append(list(HEADERS.values()))
    count = 0
    for membership in roster_for_export(village=village):
        cells = []
        for value in roster_row(membership):
            cells.append(text_cell(sheet, None if value == "" else value))
        sheet.append(cells)
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count

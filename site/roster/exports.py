"""The roster as a workbook, in exactly the layout the import reads back."""

from __future__ import annotations

from roster.columns import HEADERS, RELATION_EXPORT, ROLE_EXPORT, export_phone
from roster.selectors import roster_for_export
from spreadsheets.exports import XlsxWriter
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
    return [values[key] for key in HEADERS]


def roster_workbook(*, village: Village) -> tuple[bytes, int]:
    # The writer keeps every text a text cell (phones and household numbers keep
    # their leading zeros) and inert (a name typed as `=HYPERLINK(...)` reaches
    # the next spreadsheet as text, and reads back here unchanged).
    writer = XlsxWriter()
    sheet = writer.sheet("花名册")
    sheet.row(HEADERS.values())
    count = 0
    for membership in roster_for_export(village=village):
        sheet.row(roster_row(membership))
        count += 1
    return writer.bytes(), count

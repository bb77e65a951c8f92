"""The monthly figures as an Excel workbook (committees live in Excel)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports.figures import MonthFigures
from spreadsheets.exports import XlsxWriter


def _headers() -> list[str]:
    return [
        _("Village"),
        _("Month"),
        _("Received"),
        _("Closed"),
        _("On time"),
        _("On time (%)"),
        _("Average days to close"),
        _("Ratings"),
        _("Satisfied or basically satisfied"),
        _("Satisfaction rate (%)"),
    ]


def _row(village_name: str, label: str, m: MonthFigures) -> list:
    return [
        village_name,
        label,
        m.received,
        m.closed,
        m.on_time,
        m.on_time_rate,
        m.average_days,
        m.ratings,
        m.satisfied,
        m.satisfaction_rate,
    ]


def figures_workbook(
    *, rows: list[tuple[str, list[MonthFigures], MonthFigures]]
) -> bytes:
    """One sheet; for each village its twelve months and the year's total."""
    writer = XlsxWriter()
    sheet = writer.sheet(_("Report figures"))
    sheet.row(_headers())
    for village_name, months, year_total in rows:
        for m in months:
            sheet.row(_row(village_name, f"{m.month:%Y-%m}", m))
        sheet.row(_row(village_name, _("Whole year"), year_total))
    return writer.bytes()

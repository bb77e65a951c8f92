"""A finance report as CSV and Excel: the same rows and computed totals as the page."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from spreadsheets.exports import (
    CSV_TYPE,
    XLSX_TYPE,
    XlsxWriter,
    bold,
    csv_bytes,
    download,
)


def _header() -> list[str]:
    return [
        _("Income or expenditure"),
        _("Date"),
        _("Category"),
        _("Paid by or to"),
        _("Amount (yuan)"),
        _("Voucher number"),
        _("Note"),
    ]


def report_table(report) -> list[list]:
    """Rows for a spreadsheet: header, every line, then the computed totals."""
    totals = report.report()
    table: list[list] = [
        [report.title],
        [_("Fund"), report.fund],
        [_("Period"), report.period_start.isoformat(), report.period_end.isoformat()],
        [],
        _header(),
    ]
    for label, rows in [
        (_("Income"), totals.income_rows),
        (_("Expenditure"), totals.expenditure_rows),
    ]:
        for row in rows:
            table.append(
                [
                    label,
                    row.date.isoformat(),
                    row.category,
                    row.counterparty,
                    row.amount,
                    row.voucher_no,
                    row.note,
                ]
            )
    table.append([])
    for category, total, _count in totals.income_by_category:
        table.append([_("Income subtotal"), "", category, "", total])
    for category, total, _count in totals.expenditure_by_category:
        table.append([_("Expenditure subtotal"), "", category, "", total])
    table.append([_("Total income"), "", "", "", totals.income])
    table.append([_("Total expenditure"), "", "", "", totals.expenditure])
    if totals.opening_balance is not None:
        table.append([_("Opening balance"), "", "", "", totals.opening_balance])
        table.append([_("Closing balance"), "", "", "", totals.closing_balance])
    return table


def _download(report, content: bytes, extension: str, content_type: str):
    # The real (Chinese) name, and an ASCII one for old browsers.
    return download(
        content,
        filename=f"{report.title}.{extension}",
        fallback=f"report-{report.pk}.{extension}",
        content_type=content_type,
    )


def report_csv_response(report) -> HttpResponse:
    return _download(report, csv_bytes(report_table(report)), "csv", CSV_TYPE)


def report_xlsx_response(report) -> HttpResponse:
    writer = XlsxWriter()
    sheet = writer.sheet(_("Report"), widths=[14, 12, 16, 22, 16, 14, 24])
    title, *rows = report_table(report)
    sheet.row(title, font=bold(size=14))
    for row in rows:
        sheet.row(row)
    return _download(report, writer.bytes(), "xlsx", XLSX_TYPE)

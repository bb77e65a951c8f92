"""A finance report as CSV and Excel: the same rows and computed totals as the page."""

from __future__ import annotations

import csv
from decimal import Decimal
from io import BytesIO, StringIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _

from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def _filename(report, extension: str) -> str:
    name = f"{report.title}.{extension}"
    # RFC 6266: an ASCII fallback and the real (Chinese) name.
    return f"attachment; filename=\"report-{report.pk}.{extension}\"; filename*=UTF-8''{quote(name)}"


def report_csv_response(report) -> HttpResponse:
    buffer = StringIO()
    writer = csv.writer(buffer)
    for row in report_table(report):
        writer.writerow([f"{v:.2f}" if isinstance(v, Decimal) else v for v in row])
    # The byte-order mark makes Excel on Windows read the Chinese as UTF-8.
    response = HttpResponse(
        "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = _filename(report, "csv")
    return response


def report_xlsx_response(report) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Report")[:31]
    for row in report_table(report):
        sheet.append(row)
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet["E"]:
        if isinstance(cell.value, Decimal):
            cell.number_format = "#,##0.00"
    for column, width in zip("ABCDEFG", [14, 12, 16, 22, 16, 14, 24], strict=True):
        sheet.column_dimensions[column].width = width
    out = BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = _filename(report, "xlsx")
    return response

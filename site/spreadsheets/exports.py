"""Every Excel workbook and CSV file the site produces, written one way.

What a person typed reaches the next spreadsheet as text that cannot run: a name
typed as `=HYPERLINK("http://x","y")`, `+1`, `-1+2`, `@SUM(1)` or starting with a
tab or carriage return gets a leading `'` (OWASP's advice for CSV injection), and
in a workbook it is also a string cell in text format, so that neither opening nor
editing nor saving it again as CSV turns it into a formula. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
ZIP_TYPE = "application/zip"
# What a spreadsheet program reads as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0.00"
_NUMBERS = (int, float, Decimal)
_SHEET_TITLE_FORBIDDEN = "[]:*?/\\"


def inert_text(text: str) -> str:
    """`=1+1` → `'=1+1`; any other text unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_value(value: Any) -> Any:
    """A value as it goes into a cell: numbers, dates and booleans as they are,
    everything else as inert text; `None` and `""` as an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, (bool, *_NUMBERS, dt.date)):
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            # Excel has no time zones: the local time people read on the page.
            return timezone.make_naive(timezone.localtime(value))
        return value
    return inert_text(str(value))


class Sheet:
    """One worksheet of an `XlsxWriter`: rows in, every cell inert."""

    def __init__(self, worksheet):
        self._worksheet = worksheet

    def row(self, values: Iterable[Any], *, font=None) -> None:
        self._worksheet.append([self._cell(value, font) for value in values])

    def _cell(self, value: Any, font):
        from openpyxl.cell import WriteOnlyCell

        value = export_value(value)
        cell = WriteOnlyCell(self._worksheet, value=value)
        if isinstance(value, str):
            # A string cell in text format: never a formula, leading zeros kept.
            cell.data_type = "s"
            cell.number_format = "@"
        elif isinstance(value, Decimal):
            cell.number_format = MONEY_FORMAT
        if font is not None:
            cell.font = font
        return cell


class XlsxWriter:
    """A workbook written row by row (openpyxl's write-only mode: memory stays
    flat however long the export)."""

    def __init__(self):
        import openpyxl

        self._workbook = openpyxl.Workbook(write_only=True)
        self._titles: set[str] = set()

    def sheet(self, title: str, *, widths: Iterable[float] = ()) -> Sheet:
        worksheet = self._workbook.create_sheet(title=self._title(str(title)))
        from openpyxl.utils import get_column_letter

        for index, width in enumerate(widths, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        return Sheet(worksheet)

    def _title(self, title: str) -> str:
        """Excel's rules for a sheet name: 31 characters, none of []:*?/\\, unique."""
        for char in _SHEET_TITLE_FORBIDDEN:
            title = title.replace(char, " ")
        title = title.strip("'")[:31] or "Sheet"
        candidate, n = title, 2
        while candidate.lower() in self._titles:
            suffix = f" {n}"
            candidate = title[: 31 - len(suffix)] + suffix
            n += 1
        self._titles.add(candidate.lower())
        return candidate

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._workbook.save(buffer)
        return buffer.getvalue()


def bold(size: float | None = None):
    from openpyxl.styles import Font

    return Font(bold=True, size=size)


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel on Windows reads the Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode()


def _csv_value(value: Any) -> Any:
    value = export_value(value)
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


def download(
    content: bytes,
    *,
    filename: str,
    content_type: str,
    fallback: str = "",
    private: bool = False,
) -> HttpResponse:
    """The file as a download. A non-ASCII name gets an ASCII `fallback` beside it
    (RFC 6266); `private` keeps it out of every cache."""
    response = HttpResponse(content, content_type=content_type)
    # A name comes from what a person typed (a page's title): no line breaks or
    # other control characters (a header cannot hold them), no quotes.
    filename = _safe_filename(filename)
    fallback = _safe_filename(fallback)
    ascii_name = filename if filename.isascii() else fallback
    header = f'attachment; filename="{ascii_name}"'
    if not filename.isascii():
        header += f"; filename*=UTF-8''{quote(filename)}"
    response["Content-Disposition"] = header
    if private:
        response["Cache-Control"] = "no-store"
    return response


def _safe_filename(name: str) -> str:
    cleaned = "".join(
        "_" if ch in '"\\/' else ch for ch in name if unicodedata.category(ch)[0] != "C"
    )
    return cleaned.strip() or "download"


def guard_wagtail_exports() -> None:
    """Wagtail's admin exports (reports such as the site history, form
    submissions, listings) write CSV without any guard, and Excel with formulas
    turned into text but not quoted: every value they write goes through
    `export_value` as well. Called once, from this app's `ready()`."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    preprocess = SpreadsheetExportMixin.preprocess_field_value
    if getattr(preprocess, "inert", False):
        return

    def inert_preprocess(self, field, value, export_format):
        value = preprocess(self, field, value, export_format)
        return inert_text(value) if isinstance(value, str) else value

    inert_preprocess.inert = True
    SpreadsheetExportMixin.preprocess_field_value = inert_preprocess

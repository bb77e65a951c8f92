"""Reading an uploaded roster workbook into rows, refusing anything that is not one.

Whatever arrives (a renamed text file, a zip, a photo, an old .xls, a zip bomb, a
sheet without headers, formulas without results) ends as a `RosterFileError` with
a message for the person, never as an exception that escapes to a 500. The
workbook itself is opened by `spreadsheets.uploads`, which refuses a bomb from the
zip's directory and reads the sheet as a stream.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from roster.columns import HEADERS, REQUIRED_COLUMNS, cell_text, header_key
from spreadsheets.uploads import SheetReader, WorkbookError, fill_merged

logger = logging.getLogger(__name__)

MAX_ROWS = 20_000
# The header may sit below a title row or two ("柳溪村花名册").
HEADER_SEARCH_ROWS = 10
# Rows in which we list cells we cannot read, at most.
LISTED_ROWS = 20


class RosterFileError(Exception):
    """The upload cannot be read as a roster at all."""

    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


@dataclass
class RawRow:
    """One data row: its row number in Excel and its cells by column key."""

    number: int
    cells: dict[str, Any] = field(default_factory=dict)


@dataclass
class RosterSheet:
    header_row: int
    columns: list[str]
    rows: list[RawRow]


def _not_excel() -> RosterFileError:
    return RosterFileError(
        _(
            "This file is not an Excel workbook (.xlsx). Save the roster as .xlsx and try again."
        ),
        code="not_xlsx",
    )


def _file_error(code: str) -> RosterFileError:
    if code == "xls":
        return RosterFileError(
            _(
                "This is an old Excel file (.xls). Open it in Excel or WPS and save it "
                "as .xlsx, then upload that."
            ),
            code="xls",
        )
    if code == "too_large":
        return RosterFileError(
            _("This workbook is too large to be a roster."), code="too_large"
        )
    if code == "too_many_rows":
        return _too_many_rows()
    if code == "empty":
        return RosterFileError(_("The workbook is empty."), code="empty")
    return _not_excel()


def _too_many_rows() -> RosterFileError:
    return RosterFileError(
        _(
            "The roster has more than %(max)d rows. Split it into several "
            "files and import them one after another."
        )
        % {"max": MAX_ROWS},
        code="too_many_rows",
    )


def read_roster(stream: IO[bytes]) -> RosterSheet:
    """Read the first worksheet of an .xlsx: find the header, return the data rows."""
    try:
        reader = SheetReader(stream, max_rows=MAX_ROWS + HEADER_SEARCH_ROWS)
        return _read_sheet(reader)
    except WorkbookError as exc:
        logger.info("roster upload refused: %s", exc.code)
        raise _file_error(exc.code) from exc


def _read_sheet(reader: SheetReader) -> RosterSheet:
    header_row = 0
    columns: list[str | None] = []
    kept: list[tuple[int, list[Any]]] = []
    seen_anything = False
    for number, values in reader.rows():
        if not header_row:
            seen_anything = seen_anything or any(cell_text(v) for v in values)
            keys = [header_key(v) for v in values]
            if all(key in keys for key in REQUIRED_COLUMNS):
                header_row = number
                # A repeated header keeps its first column.
                columns = [
                    key if key and key not in keys[:i] else None
                    for i, key in enumerate(keys)
                ]
                # Cells right of the last roster column are not even decoded.
                reader.max_columns = max(i + 1 for i, key in enumerate(columns) if key)
            elif number >= HEADER_SEARCH_ROWS:
                break
            continue
        # Only the roster's columns are kept: memory follows the roster.
        mine = [
            values[i] if key and i < len(values) else None
            for i, key in enumerate(columns)
        ]
        if all(value is None for value in mine):
            continue
        kept.append((number, mine))
        if len(kept) > MAX_ROWS:
            raise _too_many_rows()

    if not header_row:
        if not seen_anything:
            raise RosterFileError(_("The workbook is empty."), code="empty")
        raise RosterFileError(
            _(
                "No header row found. The first row must name the columns, at least "
                "%(name)s and %(phone)s."
            )
            % {"name": HEADERS["name"], "phone": HEADERS["phone"]},
            code="no_header",
        )
    _refuse_unreadable_cells(reader, header_row, columns)
    # A household number or grid merged over its members' rows belongs to each.
    fill_merged(kept, reader.merged)
    rows = []
    for number, values in kept:
        cells = {
            key: values[i]
            for i, key in enumerate(columns)
            if key and cell_text(values[i])
        }
        if cells:
            rows.append(RawRow(number=number, cells=cells))
    if not rows:
        raise RosterFileError(
            _("The roster has a header row but no people in it."), code="no_rows"
        )
    return RosterSheet(
        header_row=header_row, columns=[c for c in columns if c], rows=rows
    )


def _refuse_unreadable_cells(reader: SheetReader, header_row: int, columns) -> None:
    """A formula saved without its result, or whose result is an error, in a
    roster column: refused with its rows, never imported as empty or as `#REF!`."""

    def rows_of(cells) -> list[int]:
        return sorted(
            {
                row
                for row, column in cells
                if row > header_row and column <= len(columns) and columns[column - 1]
            }
        )

    for cells, message, code in [
        (
            reader.formulas_without_value,
            _(
                "Rows %(rows)s hold formulas whose results the file does not keep. "
                "Open it in Excel or WPS, save it, and upload it again."
            ),
            "formula_without_value",
        ),
        (
            reader.error_values,
            _(
                "Rows %(rows)s hold formulas that end in an error (such as #REF!). "
                "Correct them in Excel or WPS and upload the file again."
            ),
            "formula_error",
        ),
    ]:
        if rows := rows_of(cells):
            raise RosterFileError(message % {"rows": _row_list(rows)}, code=code)


def _row_list(rows: list[int]) -> str:
    listed = "、".join(str(row) for row in rows[:LISTED_ROWS])
    return listed + ("…" if len(rows) > LISTED_ROWS else "")

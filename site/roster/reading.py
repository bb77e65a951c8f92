"""Reading an uploaded roster workbook into rows, refusing anything that is not one.

Whatever arrives (a renamed text file, a zip, a photo, an old .xls, a zip bomb, a
sheet without headers) ends as a `RosterFileError` with a message for the person,
never as an exception that escapes to a 500.
"""

from __future__ import annotations

import logging
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from roster.columns import HEADERS, REQUIRED_COLUMNS, cell_text, header_key

logger = logging.getLogger(__name__)

MAX_ROWS = 20_000
# The header may sit below a title row or two ("柳溪村花名册").
HEADER_SEARCH_ROWS = 10
# An .xlsx is a zip: refuse archives that unpack to far more than a roster needs.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 1_000

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format


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


def _check_container(stream: IO[bytes]) -> None:
    stream.seek(0)
    magic = stream.read(4)
    stream.seek(0)
    if magic == _OLE_MAGIC:
        raise RosterFileError(
            _(
                "This is an old Excel file (.xls). Open it in Excel or WPS and save it "
                "as .xlsx, then upload that."
            ),
            code="xls",
        )
    if magic != _ZIP_MAGIC:
        raise _not_excel()
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _not_excel() from exc
    finally:
        stream.seek(0)
    if "xl/workbook.xml" not in names and "[Content_Types].xml" not in names:
        raise _not_excel()
    if (
        len(members) > MAX_ARCHIVE_MEMBERS
        or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES
    ):
        raise RosterFileError(
            _("This workbook is too large to be a roster."), code="too_large"
        )


def read_roster(stream: IO[bytes]) -> RosterSheet:
    """Read the first worksheet of an .xlsx: find the header, return the data rows."""
    import openpyxl

    _check_container(stream)
    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on broken files
        logger.info("roster upload is not a readable workbook: %r", exc)
        raise _not_excel() from exc
    try:
        return _read_sheet(workbook)
    except RosterFileError:
        raise
    except Exception as exc:  # a broken sheet inside a valid-looking archive
        logger.info("roster upload has an unreadable sheet: %r", exc)
        raise _not_excel() from exc
    finally:
        workbook.close()


def _read_sheet(workbook) -> RosterSheet:
    if not workbook.worksheets:
        raise RosterFileError(_("The workbook is empty."), code="empty")
    sheet = workbook.worksheets[0]
    # Some programs write a wrong sheet size; read until the data really ends.
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()

    header_row = 0
    columns: list[str | None] = []
    rows: list[RawRow] = []
    seen_anything = False
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if not header_row:
            if any(cell_text(v) for v in values):
                seen_anything = True
            keys = [header_key(v) for v in values]
            if all(key in keys for key in REQUIRED_COLUMNS):
                header_row = number
                # A repeated header keeps its first column.
                columns = [
                    key if key and key not in keys[:i] else None
                    for i, key in enumerate(keys)
                ]
            elif number >= HEADER_SEARCH_ROWS:
                break
            continue
        cells = {
            key: values[i]
            for i, key in enumerate(columns)
            if key and i < len(values) and cell_text(values[i])
        }
        if not cells:
            continue
        if len(rows) >= MAX_ROWS:
            raise RosterFileError(
                _(
                    "The roster has more than %(max)d rows. Split it into several "
                    "files and import them one after another."
                )
                % {"max": MAX_ROWS},
                code="too_many_rows",
            )
        rows.append(RawRow(number=number, cells=cells))

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
    if not rows:
        raise RosterFileError(
            _("The roster has a header row but no people in it."), code="no_rows"
        )
    return RosterSheet(
        header_row=header_row, columns=[c for c in columns if c], rows=rows
    )

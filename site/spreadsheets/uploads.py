"""Reading a workbook someone uploaded, in one streaming pass that sees what a
clerk sees. The archive is judged first by `spreadsheets.archives` (not a
workbook, or a zip bomb: refused before a byte is inflated).

Every part is then read with expat as a stream of tags, without building a tree:
memory follows what the caller keeps, not the file (a document type, and with it
every entity trick, is refused; tags and characters are counted). What the reader
hands back is what a person sees in Excel:

- the value of a formula is the result Excel saved with it; a formula saved without
  a result (some programs write them so), or whose result is an error (`#REF!`), is
  reported by its cell, for the caller to refuse with row numbers;
- `fill_merged` puts a merged range's value in every cell of the range (Excel keeps
  it in the top-left cell only), so a household number merged over its members'
  rows belongs to each member.
"""

from __future__ import annotations

import bisect
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import IO, Any
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import (
    CALENDAR_MAC_1904,
    WINDOWS_EPOCH,
    from_excel,
    from_ISO8601,
)

from spreadsheets.archives import WorkbookError, check_container

# Besides the archive's caps (spreadsheets.archives): a roster's shared strings
# are at most a few MB.
MAX_SHARED_STRINGS_BYTES = 6 * 1024 * 1024
MAX_SHARED_STRINGS = 200_000
MAX_MERGED_RANGES = 50_000
# Time follows the number of tags more than bytes (`<c/>` is four bytes): a
# roster of 20,000 people in 30 columns has ~1.2 million in its sheet.
MAX_SHEET_TAGS = 1_500_000
MAX_PART_TAGS = 500_000
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
CHUNK = 64 * 1024

_REL_ID = "http://schemas.openxmlformats.org/officeDocument/2006/relationships id"


_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,  # a compression method zipfile does not know
    expat.ExpatError,
    KeyError,
    ValueError,
    IndexError,
    OverflowError,
    OSError,
    EOFError,
    RuntimeError,
    TypeError,
)


class SheetReader:
    """The first worksheet of an uploaded .xlsx, row by row.

    `rows()` yields each non-empty row as (row number, values from column A, cut
    to `max_columns`, which the caller may lower between rows); after it,
    `merged` holds the merged ranges, and `formulas_without_value` and
    `error_values` the (row, column) of the cells whose value is not one Excel
    shows as such. Every failure is a WorkbookError.
    """

    def __init__(self, stream: IO[bytes], *, max_rows: int, max_columns: int = 64):
        self.members = check_container(stream)
        self.stream = stream
        self.max_rows = max_rows
        self.max_columns = max_columns
        self.merged: list[tuple[int, int, int, int]] = []
        self.formulas_without_value: list[tuple[int, int]] = []
        self.error_values: list[tuple[int, int]] = []

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        try:
            with zipfile.ZipFile(self.stream) as archive:
                self.archive = archive
                sheet = self._workbook()
                yield from self._sheet(sheet)
        except WorkbookError:
            raise
        except _READ_ERRORS as exc:
            raise WorkbookError("not_xlsx") from exc
        finally:
            self.stream.seek(0)

    # -- the parts ---------------------------------------------------------------
    def _parse(self, name: str, start: Callable, end=None, text=None) -> None:
        """Stream one member through expat."""
        parser = _expat(start, end, text, max_tags=MAX_PART_TAGS)
        for _done in self._feed(name, parser):
            pass

    def _feed(self, name: str, parser) -> Iterator[None]:
        """Feed a member to the parser chunk by chunk, pausing after each."""
        with self.archive.open(self.members[name]) as source:
            while chunk := source.read(CHUNK):
                parser.Parse(chunk, False)
                yield
        parser.Parse(b"", True)
        yield

    def _workbook(self) -> str:
        sheets: list[str] = []
        self.epoch = WINDOWS_EPOCH

        def start(tag, attrs):
            if tag == "sheet":
                sheets.append(attrs.get(_REL_ID, ""))
            elif tag == "workbookPr" and attrs.get("date1904") in ("1", "true"):
                self.epoch = CALENDAR_MAC_1904

        self._parse("xl/workbook.xml", start)
        rels: dict[str, tuple[str, str]] = {}

        def relation(tag, attrs):
            if tag == "Relationship":
                target = attrs.get("Target", "")
                target = target[1:] if target.startswith("/") else "xl/" + target
                rels[attrs.get("Id", "")] = (target, attrs.get("Type", ""))

        self._parse("xl/_rels/workbook.xml.rels", relation)
        if not sheets:
            raise WorkbookError("empty")
        kinds = {kind.rpartition("/")[2]: target for target, kind in rels.values()}
        self.strings = self._shared_strings(kinds.get("sharedStrings"))
        self.date_styles = self._date_styles(kinds.get("styles"))
        return rels[sheets[0]][0]

    def _shared_strings(self, name: str | None) -> list[str]:
        strings: list[str] = []
        if name is None:
            return strings
        if self.members[name].file_size > MAX_SHARED_STRINGS_BYTES:
            raise WorkbookError("too_large")
        text = _Text()

        def start(tag, attrs):
            if tag == "si":
                text.reset()
            else:
                text.start(tag)

        def end(tag):
            if tag == "si":
                if len(strings) >= MAX_SHARED_STRINGS:
                    raise WorkbookError("too_large")
                strings.append(text.value())
            else:
                text.end(tag)

        self._parse(name, start, end, text.add)
        return strings

    def _date_styles(self, name: str | None) -> set[int]:
        """Indexes of the cell styles whose number format is a date."""
        formats = dict(BUILTIN_FORMATS)
        xf_formats: list[int] = []
        where = {"cellXfs": False}
        if name is None:
            return set()

        def start(tag, attrs):
            if tag == "numFmt":
                formats[int(attrs.get("numFmtId", -1))] = attrs.get("formatCode", "")
            elif tag == "cellXfs":
                where["cellXfs"] = True
            elif tag == "xf" and where["cellXfs"]:
                xf_formats.append(int(attrs.get("numFmtId", 0)))

        def end(tag):
            if tag == "cellXfs":
                where["cellXfs"] = False

        self._parse(name, start, end)
        return {
            index
            for index, number in enumerate(xf_formats)
            if formats.get(number) and is_date_format(formats[number])
        }

    def _sheet(self, name: str) -> Iterator[tuple[int, list[Any]]]:
        """Expat pushes; the rows it completes are handed on after each chunk."""
        done: list[tuple[int, list[Any]]] = []
        state = {"row": 0, "values": [], "column": 0, "cell": None, "count": 0}
        text = _Text()

        def start(tag, attrs):
            cell = state["cell"]
            if cell is not None:
                if tag == "f":
                    cell["formula"] = True
                elif tag in ("v", "is"):
                    text.reset()
                    text.collecting = tag == "v"
                else:
                    text.start(tag)
            elif tag == "c":
                ref = attrs.get("r")
                state["column"] = _column(ref) if ref else state["column"] + 1
                state["cell"] = {"t": attrs.get("t", "n"), "s": attrs.get("s")}
                text.reset()
                text.collecting = False
            elif tag == "row":
                state["row"] = int(attrs.get("r") or state["row"] + 1)
                state["values"], state["column"] = [], 0
            elif tag == "mergeCell":
                if len(self.merged) >= MAX_MERGED_RANGES:
                    raise WorkbookError("too_large")
                self.merged.append(range_boundaries(attrs.get("ref", "")))

        def end(tag):
            cell = state["cell"]
            if tag == "c":
                state["cell"] = None
                column = state["column"]
                if column <= self.max_columns:
                    value = self._value(cell, text.value(), state["row"], column)
                    if value is not None and value != "":
                        values = state["values"]
                        values.extend([None] * (column - len(values)))
                        values[column - 1] = value
            elif cell is not None:
                if tag == "v":
                    cell["v"] = text.value()
                    text.reset()
                elif tag == "is":
                    cell["is"] = True
                else:
                    text.end(tag)
            elif tag == "row" and state["values"]:
                if state["count"] >= self.max_rows:
                    raise WorkbookError("too_many_rows")
                state["count"] += 1
                done.append((state["row"], state["values"]))

        parser = _expat(start, end, text.add, max_tags=MAX_SHEET_TAGS)
        for _fed in self._feed(name, parser):
            yield from done
            done.clear()

    def _value(self, cell: dict, inline: str, row: int, column: int) -> Any:
        kind, raw = cell["t"], cell.get("v")
        if cell.get("is"):
            return inline
        if raw is None or raw == "":
            if cell.get("formula"):
                self.formulas_without_value.append((row, column))
            return None
        if kind == "s":
            return self.strings[int(raw)]
        if kind in ("str", "inlineStr"):
            return raw
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "e":
            self.error_values.append((row, column))
            return raw
        if kind == "d":
            return from_ISO8601(raw)
        number = float(raw) if any(c in raw for c in ".eE") else int(raw)
        if cell["s"] and int(cell["s"]) in self.date_styles:
            return from_excel(number, self.epoch)
        return number


def _expat(start: Callable, end=None, text=None, *, max_tags: int):
    """A namespace-aware expat parser whose handlers get local tag names. A
    document type (the door to entity expansion) is refused, and so is a part
    with more than `max_tags` tags."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    tags = 0

    def refuse(*_args):
        raise WorkbookError("not_xlsx")

    def counted_start(tag, attrs):
        nonlocal tags
        tags += 1
        if tags > max_tags:
            raise WorkbookError("too_large")
        start(tag.rpartition(" ")[2], attrs)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = counted_start
    if end:
        parser.EndElementHandler = lambda tag: end(tag.rpartition(" ")[2])
    if text:
        parser.CharacterDataHandler = text
    return parser


class _Text:
    """The text of a string item or cell: its `t` runs, without the phonetic
    guide (rPh), at most MAX_CELL_CHARS characters."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.parts: list[str] = []
        self.size = 0
        self.collecting = False
        self.phonetic = 0

    def start(self, tag):
        if tag == "rPh":
            self.phonetic += 1
        elif tag == "t" and not self.phonetic:
            self.collecting = True

    def end(self, tag):
        if tag == "rPh":
            self.phonetic -= 1
        elif tag == "t":
            self.collecting = False

    def add(self, data: str):
        if self.collecting:
            self.size += len(data)
            if self.size > MAX_CELL_CHARS:
                raise WorkbookError("too_large")
            self.parts.append(data)

    def value(self) -> str:
        return "".join(self.parts)


def _column(ref: str) -> int:
    number = 0
    for char in ref:
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        else:
            break
    return number


def fill_merged(
    rows: list[tuple[int, list[Any]]], merged: list[tuple[int, int, int, int]]
) -> None:
    """Each merged range's top-left value into every cell of the range, in the
    given rows (sorted by number). Overlapping ranges are not a workbook Excel
    writes: refused. Each cell is filled at most once, so the work is bounded by
    the rows, however large the ranges claim to be."""
    numbers = [number for number, _values in rows]
    filled: set[tuple[int, int]] = set()
    for min_col, min_row, max_col, max_row in merged:
        start = bisect.bisect_left(numbers, min_row)
        if start == len(numbers) or numbers[start] != min_row:
            continue  # the top-left cell's row is empty
        anchor = rows[start][1]
        value = anchor[min_col - 1] if min_col <= len(anchor) else None
        if value is None:
            continue
        for index in range(start, bisect.bisect_right(numbers, max_row)):
            values = rows[index][1]
            for col in range(min_col, min(max_col, len(values)) + 1):
                if (numbers[index], col) in filled:
                    raise WorkbookError("not_xlsx")
                filled.add((numbers[index], col))
                if values[col - 1] is None:
                    values[col - 1] = value

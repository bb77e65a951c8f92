"""An uploaded workbook is refused early when it is a bomb, and read in bounded
memory when it is not. The bounds are counts (bytes inflated, strings held, peak
memory traced), never a time: the test must not depend on the machine's speed."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
import zlib

import openpyxl
import pytest

from roster import reading
from spreadsheets import archives, uploads
from spreadsheets.uploads import SheetReader, WorkbookError, fill_merged

MB = 1024 * 1024
WORKBOOK_XML = (
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="a" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELS_XML = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="x/worksheet"/>'
    '<Relationship Id="rId2" Target="sharedStrings.xml" Type="x/sharedStrings"/>'
    "</Relationships>"
)
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _xlsx(sheet: bytes | str, strings: bytes | str = f"<sst {MAIN}/>") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", WORKBOOK_XML)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS_XML)
        archive.writestr("xl/sharedStrings.xml", strings)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def _sheet(rows: str, after: str = "") -> str:
    return f"<worksheet {MAIN}><sheetData>{rows}</sheetData>{after}</worksheet>"


def _read(content: bytes, max_rows: int = 100):
    reader = SheetReader(io.BytesIO(content), max_rows=max_rows)
    rows = list(reader.rows())
    return reader, rows


class _CountingInflate:
    """Counts every byte zipfile inflates, whatever member it reads."""

    def __init__(self, monkeypatch):
        self.bytes = 0
        real = zipfile._get_decompressor

        def counting(compress_type):
            decompressor = real(compress_type)
            counter = self

            class Counted:
                def decompress(self, data, max_length=0):
                    out = decompressor.decompress(data, max_length)
                    counter.bytes += len(out)
                    return out

                def __getattr__(self, name):
                    return getattr(decompressor, name)

            return Counted()

        monkeypatch.setattr(zipfile, "_get_decompressor", counting)


def _bomb(member: str, size: int, *, declared: int | None = None) -> bytes:
    """A workbook whose `member` inflates to `size` zeros (about a thousandth of
    that on disk)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"0" * MB
    packed = b"".join(compressor.compress(chunk) for _ in range(size // MB))
    packed += compressor.flush()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", WORKBOOK_XML)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS_XML)
        info = zipfile.ZipInfo(member)
        info.compress_type = zipfile.ZIP_DEFLATED
        # Write the packed bytes as they are, with the sizes the bomb declares.
        info.file_size = declared if declared is not None else size
        info.compress_size = len(packed)
        info.CRC = zlib.crc32(b"0" * size) if size <= 64 * MB else 0
        archive.fp.seek(archive.start_dir)
        info.header_offset = archive.start_dir
        archive.fp.write(info.FileHeader(False))
        archive.fp.write(packed)
        archive.start_dir = archive.fp.tell()
        archive.filelist.append(info)
        archive.NameToInfo[info.filename] = info
        archive._didModify = True
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("member", "size"),
    [
        ("xl/worksheets/sheet1.xml", 1024 * MB),  # beyond every size cap
        ("xl/worksheets/sheet1.xml", 24 * MB),  # under the caps, packed 1000×
        ("xl/sharedStrings.xml", 8 * MB),  # beyond the shared strings' cap
    ],
)
def test_a_zip_bomb_is_refused_before_a_byte_is_inflated(monkeypatch, member, size):
    content = _bomb(member, size)
    assert len(content) < 2 * MB
    inflated = _CountingInflate(monkeypatch)
    tracemalloc.start()
    try:
        with pytest.raises(WorkbookError) as refused:
            _read(content)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert refused.value.code == "too_large"
    assert inflated.bytes < 64 * 1024  # the workbook and its relations at most
    assert peak < 5 * MB


def test_a_member_that_lies_about_its_size_is_cut_at_the_size_it_declares(
    monkeypatch,
):
    # The directory says 1 MB; inside are 64 MB. zipfile stops at the declared
    # size (and the CRC then fails): the lie buys nothing.
    content = _bomb("xl/worksheets/sheet1.xml", 64 * MB, declared=MB)
    inflated = _CountingInflate(monkeypatch)
    with pytest.raises(WorkbookError):
        _read(content)
    assert inflated.bytes < 2 * MB + 64 * 1024


def test_too_many_members_or_too_much_unpacked_are_refused(monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", WORKBOOK_XML)
        for i in range(archives.MAX_MEMBERS):
            archive.writestr(f"xl/media/{i}.txt", "x")
    with pytest.raises(WorkbookError, match="too_large"):
        _read(buffer.getvalue())


def test_too_many_shared_strings_are_refused_by_count(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_SHARED_STRINGS", 1000)
    strings = f"<sst {MAIN}>" + "<si><t>a</t></si>" * 1001 + "</sst>"
    with pytest.raises(WorkbookError, match="too_large"):
        _read(_xlsx(_sheet(""), strings))


def test_a_document_type_is_refused():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        f"<sst {MAIN}><si><t>&lol2;</t></si></sst>"
    )
    with pytest.raises(WorkbookError, match="not_xlsx"):
        _read(_xlsx(_sheet(""), laughs))


def test_one_cell_longer_than_excel_allows_is_refused():
    cell = f'<c r="A1" t="inlineStr"><is><t>{"x" * 40_000}</t></is></c>'
    with pytest.raises(WorkbookError, match="too_large"):
        _read(_xlsx(_sheet(f'<row r="1">{cell}</row>')))


def test_values_as_a_clerk_sees_them():
    strings = (
        f"<sst {MAIN}><si><t>王</t></si><si><r><t>小</t></r><r><t>明</t></r>"
        "<rPh><t>ワン</t></rPh></si></sst>"
    )
    rows = (
        '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c>'
        '<c r="C2"><v>13800138000</v></c><c r="D2"><v>1.5</v></c>'
        '<c r="E2" t="str"><f>A2</f><v>王</v></c><c r="F2"><f>1+1</f></c>'
        '<c r="G2" t="e"><f>#REF!</f><v>#REF!</v></c>'
        '<c r="H2" t="b"><v>1</v></c></row>'
        '<row r="3"><c r="B3" t="inlineStr"><is><t>李</t></is></c></row>'
    )
    reader, found = _read(_xlsx(_sheet(rows), strings))
    assert found == [
        (2, ["王", "小明", 13800138000, 1.5, "王", None, "#REF!", True]),
        (3, [None, "李"]),
    ]
    assert reader.formulas_without_value == [(2, 6)]
    assert reader.error_values == [(2, 7)]


def test_dates_are_dates():
    workbook = openpyxl.Workbook()
    import datetime as dt

    workbook.active.append([dt.date(1980, 5, 1), 1980])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _reader, found = _read(buffer.getvalue())
    assert found[0][1][0].year == 1980 and found[0][1][1] == 1980


def test_merged_ranges_fill_each_row_of_the_range_once():
    rows = [(2, ["a", "H1"]), (3, ["b", None]), (5, ["c", None]), (9, ["d", "H2"])]
    fill_merged(rows, [(2, 2, 2, 5), (2, 9, 2, 1_048_576)])
    assert [values[1] for _n, values in rows] == ["H1", "H1", "H1", "H2"]
    with pytest.raises(WorkbookError):
        fill_merged([(2, ["a", "x"]), (3, ["b", None])], [(2, 2, 2, 3), (1, 3, 2, 3)])


def test_rows_beyond_the_cap_are_refused_as_they_come():
    rows = "".join(
        f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 12)
    )
    with pytest.raises(WorkbookError, match="too_many_rows"):
        _read(_xlsx(_sheet(rows)), max_rows=10)


# -- memory: the largest roster, and the worst file the caps let through ---------
def _roster_bytes(rows: int, *, extra_columns: int = 0) -> bytes:
    """A roster; `extra_columns` of notes stand left of its columns, where every
    cell must be read (the worst place for them)."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(
        [f"备注{j}" for j in range(extra_columns)]
        + ["姓名", "手机号", "户号", "与户主关系", "出生年份", "网格", "角色"]
    )
    for i in range(rows):
        sheet.append(
            [f"备注内容{i}-{j}" for j in range(extra_columns)]
            + [
                f"村民{i}",
                f"139{i:08d}",
                f"H{i // 4}",
                "户主",
                1970,
                "第一网格",
                "村民",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _traced_peak(function) -> int:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_largest_roster_is_read_in_well_under_50_mb():
    content = _roster_bytes(reading.MAX_ROWS)
    peak = _traced_peak(lambda: reading.read_roster(io.BytesIO(content)))
    assert peak < 40 * MB, f"{peak / MB:.1f} MB"


def test_shared_strings_at_their_cap_are_held_in_under_50_mb():
    # As many distinct strings as the cap lets through, each as short as can be.
    count = uploads.MAX_SHARED_STRINGS
    strings = (
        f"<sst {MAIN}>"
        + "".join(f"<si><t>{i:x}</t></si>" for i in range(count))
        + "</sst>"
    )
    assert len(strings) < uploads.MAX_SHARED_STRINGS_BYTES
    content = _xlsx(_sheet(""), strings)
    peak = _traced_peak(lambda: _read(content))
    assert peak < 50 * MB, f"{peak / MB:.1f} MB"


def test_a_sheet_of_more_tags_than_any_roster_is_refused_by_count(monkeypatch):
    assert uploads.MAX_SHEET_TAGS > 20_000 * 30 * 2  # a wide roster's cells, values
    # `<c/>` is four bytes: bytes alone do not bound the time a sheet takes.
    monkeypatch.setattr(uploads, "MAX_SHEET_TAGS", 10_000)
    rows = "".join(f'<row r="{i}">' + "<c/>" * 99 + "</row>" for i in range(1, 102))
    with pytest.raises(WorkbookError, match="too_large"):
        _read(_xlsx(_sheet(rows)))


def test_a_damaged_workbook_is_refused_never_an_unexpected_error():
    # 300 copies of a real roster, each with a few bytes changed or cut short:
    # every one reads or is refused with a WorkbookError, nothing else escapes.
    import random

    content = _roster_bytes(30)
    rng = random.Random(14)
    outcomes = {"read": 0, "refused": 0}
    for _ in range(300):
        damaged = bytearray(content)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        if rng.random() < 0.2:
            damaged = damaged[: rng.randrange(len(damaged))]
        try:
            _read(bytes(damaged))
            outcomes["read"] += 1
        except WorkbookError:
            outcomes["refused"] += 1
    assert outcomes["refused"] > 0


def test_a_directory_of_more_entries_than_a_workbook_has_is_refused_unread(
    monkeypatch,
):
    # zipfile would build an object per entry before anyone could count them.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", WORKBOOK_XML)
        for i in range(archives.MAX_MEMBERS * 5):
            archive.writestr(f"{i}", b"")
    read_directory = []
    monkeypatch.setattr(
        zipfile.ZipFile, "_RealGetContents", lambda self: read_directory.append(1)
    )
    with pytest.raises(WorkbookError, match="too_large"):
        _read(buffer.getvalue())
    assert read_directory == []

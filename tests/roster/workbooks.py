"""Roster workbooks for tests, built with openpyxl the way a committee would type them."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

import openpyxl

HEADER = ["姓名", "手机号", "户号", "与户主关系", "出生年份", "网格", "角色"]


def workbook_bytes(rows, *, header=HEADER, above=()) -> bytes:
    """`above`: rows written before the header (a title line, say)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in above:
        sheet.append(list(row))
    if header is not None:
        sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_upload(content: bytes, name: str = "花名册.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name,
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def read_workbook(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def person(
    name="王小明",
    phone="13800138000",
    household="LX-101",
    relation="户主",
    year=1970,
    grid="第一网格",
    roles="村民、户代表",
):
    return [name, phone, household, relation, year, grid, roles]


def merged_workbook_bytes(rows, *, merges=(), header=HEADER) -> bytes:
    """A roster with merged ranges (`"C2:C4"`), as Excel saves them: the value in
    the top-left cell only, the other cells of the range empty."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if header is not None:
        sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    for ref in merges:
        sheet.merge_cells(ref)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_formula(content: bytes, ref: str, formula: str, *, cached=None) -> bytes:
    """The cell `ref` of the first sheet made a formula; with `cached`, the result
    Excel saved with it (`"#REF!"` an error result), without it none (as programs
    that write formulas but do not calculate them save them)."""
    import re
    import zipfile
    from xml.sax.saxutils import escape

    cell = f'<c r="{ref}"><f>{escape(formula)}</f></c>'
    if cached is not None:
        kind = "e" if str(cached).startswith("#") else "str"
        cell = (
            f'<c r="{ref}" t="{kind}"><f>{escape(formula)}</f>'
            f"<v>{escape(str(cached))}</v></c>"
        )
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                pattern = rf'<c r="{ref}"(?: [^>]*)?(?:/>|>.*?</c>)'
                data, count = re.subn(pattern.encode(), cell.encode(), data)
                assert count == 1, f"{ref} not found"
            target.writestr(item, data)
    return out.getvalue()

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

"""The one export helper: text inert, numbers numbers, files named for any browser."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone

import openpyxl
import pytest

from spreadsheets.exports import (
    CSV_TYPE,
    XLSX_TYPE,
    XlsxWriter,
    csv_bytes,
    download,
    export_value,
    inert_text,
)

PAYLOADS = ('=HYPERLINK("http://x","y")', "+1", "-1+2", "@SUM(1)", "\t=1", "\r=1")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_like_text_gets_a_quote(payload):
    assert inert_text(payload) == "'" + payload
    assert export_value(payload) == "'" + payload


def test_other_text_and_numbers_are_unchanged():
    assert inert_text("王小明") == "王小明"
    assert inert_text("1+1") == "1+1"
    for number in (-12, -1.5, Decimal("-3.20"), 0, 13800138000):
        assert export_value(number) == number
    assert export_value("") is None and export_value(None) is None


def test_a_workbook_keeps_numbers_as_numbers_and_text_as_text():
    writer = XlsxWriter()
    sheet = writer.sheet("a")
    sheet.row(["=1+1", "0012", -5, Decimal("12.50"), dt.date(2026, 1, 2), True])
    cells = next(openpyxl.load_workbook(io.BytesIO(writer.bytes())).active.iter_rows())
    assert [c.data_type for c in cells] == ["s", "s", "n", "n", "d", "b"]
    assert cells[0].value == "'=1+1" and cells[1].value == "0012"
    assert cells[3].number_format == "#,##0.00"


def test_an_aware_time_is_written_as_local_time(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    moment = dt.datetime(2026, 3, 1, 2, 30, tzinfo=dt.UTC)
    assert export_value(moment) == dt.datetime(2026, 3, 1, 10, 30)
    assert timezone.is_naive(export_value(moment))


def test_sheet_titles_follow_excels_rules():
    writer = XlsxWriter()
    for title in ["a/b", "A/B", "x" * 40, "'"]:
        writer.sheet(title)
    titles = openpyxl.load_workbook(io.BytesIO(writer.bytes())).sheetnames
    assert titles == ["a b", "A B 2", "x" * 31, "Sheet"]


def test_csv_is_utf8_with_a_byte_order_mark_and_inert():
    content = csv_bytes([["名字", "金额"], ["=1+1", Decimal("-3.5")]])
    assert content.startswith("\ufeff".encode())
    assert content.decode("utf-8-sig").splitlines() == ["名字,金额", "'=1+1,-3.50"]


def test_download_names_the_file_for_old_and_new_browsers():
    response = download(
        b"x", filename="财务报表.csv", fallback="r.csv", content_type=CSV_TYPE
    )
    assert response["Content-Disposition"] == (
        "attachment; filename=\"r.csv\"; filename*=UTF-8''"
        "%E8%B4%A2%E5%8A%A1%E6%8A%A5%E8%A1%A8.csv"
    )
    private = download(b"x", filename="a.xlsx", content_type=XLSX_TYPE, private=True)
    assert private["Content-Disposition"] == 'attachment; filename="a.xlsx"'
    assert private["Cache-Control"] == "no-store"


def test_a_download_named_after_typed_text_keeps_a_valid_header():
    """A finance page titled "\\r=1 …" named its CSV with a line break, and the
    download answered a server error: a header cannot hold one."""
    response = download(
        b"x",
        filename='\r=1 "财务"\n/报表\t.csv',
        content_type=CSV_TYPE,
        fallback='\r=1 "report".csv',
    )
    header = response["Content-Disposition"]
    assert "\r" not in header and "\n" not in header and "\t" not in header
    assert header.startswith('attachment; filename="=1 _report_.csv"; filename*=')
    assert "%E8%B4%A2%E5%8A%A1" in header  # 财务, still in the UTF-8 name

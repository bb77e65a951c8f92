"""The catalogue in Excel, and the 千分制 demo."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

import pytest
from openpyxl import Workbook

from points.demo import CATALOGUE, seed_points_demo
from points.excel import COLUMNS, catalogue_check, catalogue_export
from points.models import Entry, RuleBook, RuleItem
from points.verify import verify_village
from tests.factories import HouseholdFactory


def workbook(rows, header=COLUMNS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, village, data, year=None):
    return client.post(
        reverse("points:rules_import", kwargs={"village": village.slug}),
        {
            "year": year or timezone.localdate().year,
            "file": SimpleUploadedFile("rules.xlsx", data),
        },
    )


@pytest.mark.django_db
def test_import_then_export_reads_back(client, village, committee):
    rows = [
        ["社会公德", "A01", "参加志愿服务", 5, 24, "是", ""],
        ["家庭美德", "D08", "不赡养老人", -100, None, "", "是"],
    ]
    client.force_login(committee)
    assert upload(client, village, workbook(rows)).status_code == 302
    book = RuleBook.objects.get(village=village)
    assert book.items.count() == 2
    assert book.items.get(code="D08").is_veto
    item = book.items.get(code="A01")
    RuleItem.objects.create(
        rulebook=book,
        category=item.category,
        code="C06",
        name="=cmd|' /C calc'!A0",
        points=-5,
    )
    exported = catalogue_export(book)
    report = catalogue_check(exported)
    assert report.errors == []
    assert sorted(r["code"] for r in report.rows) == ["A01", "C06", "D08"]
    assert report.rows[1]["name"] == "=cmd|' /C calc'!A0"  # kept as text, not a formula


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["社会公德", "A01", "志愿服务", 0, None, "", ""]], "Row 2"),
        ([["社会公德", "A01", "志愿服务", "五", None, "", ""]], "Row 2"),
        ([["社会公德", "A01", "志愿服务", 5, None, "", "是"]], "veto"),
        (
            [
                ["社会公德", "A01", "甲", 5, None, "", ""],
                ["社会公德", "A01", "乙", 5, None, "", ""],
            ],
            "twice",
        ),
        ([], "no items"),
    ],
)
def test_bad_rows_are_reported_and_nothing_is_written(
    client, village, committee, rows, message
):
    client.force_login(committee)
    response = upload(client, village, workbook(rows))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert RuleItem.objects.count() == 0


@pytest.mark.django_db
def test_not_an_excel_file_or_wrong_columns(client, village, committee, resident):
    client.force_login(committee)
    assert upload(client, village, b"PK\x03\x04 broken").status_code == 400
    assert upload(client, village, workbook([], header=["a", "b"])).status_code == 400
    client.force_login(resident)
    assert upload(client, village, workbook([])).status_code == 403
    assert RuleBook.objects.count() == 0


@pytest.mark.django_db
def test_rules_in_use_are_not_replaced(
    client, village, committee, good_item, grid_worker, household
):
    from points.services.entries import entry_record

    entry_record(
        village=village,
        household=household,
        item=good_item,
        points=None,
        occurred_on=timezone.localdate(),
        note="",
        by=grid_worker,
        key="k",
    )
    client.force_login(committee)
    response = upload(
        client, village, workbook([["社会公德", "A01", "新", 5, None, "", ""]])
    )
    assert response.status_code == 400
    assert RuleItem.objects.get().pk == good_item.pk


@pytest.mark.django_db
def test_demo_loads_a_thousand_point_catalogue_and_entries(
    village, grid, committee, second_committee
):
    for i in range(12):
        HouseholdFactory(village=village, grid=grid, number=f"D{i:03d}")
    book = seed_points_demo(village)
    categories = set(book.categories.values_list("name", flat=True))
    assert categories == {"社会公德", "职业道德", "个人品德", "家庭美德"}
    assert book.items.count() == len(CATALOGUE) >= 30
    assert book.items.filter(is_veto=True).exists()
    assert Entry.objects.filter(village=village, status="final").exists()
    assert verify_village(village.pk) == []
    assert seed_points_demo(village).pk == book.pk  # a second run changes nothing


@pytest.mark.django_db
def test_import_records_the_adopting_meeting_and_checks_the_minutes(
    client, village, committee
):
    client.force_login(committee)
    data = workbook([["社会公德", "A01", "参加志愿服务", 5, None, "", ""]])
    import_url = reverse("points:rules_import", kwargs={"village": village.slug})
    bad = client.post(
        import_url,
        {
            "year": 2026,
            "file": SimpleUploadedFile("r.xlsx", data),
            "minutes": SimpleUploadedFile("m.pdf", b"MZ not a pdf"),
        },
    )
    assert bad.status_code == 400 and RuleBook.objects.count() == 0
    good = client.post(
        import_url,
        {
            "year": 2026,
            "file": SimpleUploadedFile("r.xlsx", data),
            "adopted_by": "村民代表会议",
            "adopted_on": "2026-01-08",
            "minutes": SimpleUploadedFile("m.pdf", b"%PDF-1.4 minutes"),
        },
    )
    assert good.status_code == 302
    book = RuleBook.objects.get()
    assert book.adopted_by == "村民代表会议" and book.minutes


def test_a_category_merged_over_its_items_belongs_to_each():
    # Committees merge the 类别 cell over the items of a category.
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    sheet.append(["社会公德", "A1", "参加义务劳动", 5, None, "", ""])
    sheet.append([None, "A2", "帮扶困难户", 10, None, "", ""])
    sheet.append(["家庭美德", "B1", "孝敬老人", 5, None, "", ""])
    sheet.merge_cells("A2:A3")
    buffer = io.BytesIO()
    book.save(buffer)
    report = catalogue_check(buffer.getvalue())
    assert report.errors == []
    assert [row["category"] for row in report.rows] == [
        "社会公德",
        "社会公德",
        "家庭美德",
    ]


def test_a_formula_without_a_saved_result_is_refused_with_its_row():
    from tests.roster.workbooks import with_formula

    content = workbook([["社会公德", "A1", "参加义务劳动", 5, None, "", ""]])
    report = catalogue_check(with_formula(content, "D2", "2+3"))
    assert not report.rows
    assert report.errors and "2" in report.errors[0]

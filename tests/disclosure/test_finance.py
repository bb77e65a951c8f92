"""Finance reports: amounts are exact, every total is computed, exports agree."""

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from disclosure.models import FinanceReportPage


def test_totals_are_computed_from_rows(make_report):
    report = make_report(opening="1000.00")
    totals = report.report()
    assert totals.income == Decimal("51234.50")
    assert totals.expenditure == Decimal("4637.30")
    assert totals.net == Decimal("46597.20")
    assert totals.closing_balance == Decimal("47597.20")
    assert ("公益支出", Decimal("4250.80"), 2) in totals.expenditure_by_category


def test_page_shows_yuan_grouped_with_two_places(client, make_report):
    report = make_report()
    page = client.get(report.url).content.decode()
    assert "51,234.50 元" in page
    assert "1,234.50 元" in page
    assert "4,250.80 元" in page  # a category subtotal
    assert "47,597.20 元" in page  # closing balance


def test_previous_report_is_linked_and_compared(client, make_report):
    make_report(month=9, slug="sept")
    october = make_report(month=10, slug="oct")
    page = client.get(october.url).content.decode()
    assert "2026年9月财务收支公开" in page
    assert 'class="card compare"' in page


def test_csv_export_matches_the_page(client, make_report):
    report = make_report()
    response = client.get(f"{report.url}export/csv/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [report.title]
    amounts = [r[4] for r in rows if len(r) > 4]
    assert "1234.50" in amounts and "51234.50" in amounts


def test_xlsx_export_has_numbers_and_totals(client, make_report):
    report = make_report()
    response = client.get(f"{report.url}export/xlsx/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for c in sheet["E"] if c.value is not None]
    assert any(
        isinstance(v, (int, float)) and abs(v - 51234.50) < 0.001 for v in values
    )


def test_earlier_version_of_a_report_shows_its_own_rows(client, make_report, head):
    report = make_report(user=head)
    report = FinanceReportPage.objects.get(pk=report.pk)
    first = report.rows.all()[0]
    first.amount = Decimal("99999.99")
    report.rows = [first, *report.rows.all()[1:]]
    report.save_revision(user=head).publish(user=head)
    from cms_home.models import PublishedVersion

    old = PublishedVersion.objects.filter(page=report).last()
    page = client.get(f"{report.url}versions/{old.pk}/").content.decode()
    # the old rows are shown; the new amount appears only in "what changed"
    assert '<td class="num">50,000.00 元</td>' in page
    assert '<td class="num">99,999.99 元</td>' not in page
    assert "<ins>+ " in page
    assert "99,999.99" in client.get(report.url).content.decode()


def test_report_with_200_rows_renders_in_fixed_queries(
    client, make_report, django_assert_max_num_queries
):
    small = make_report(month=9, slug="small")
    with django_assert_max_num_queries(16) as queries:
        client.get(small.url)
    report = make_report(n_rows=200)
    with django_assert_max_num_queries(len(queries)):
        response = client.get(report.url)
    assert response.status_code == 200
    assert response.content.decode().count('class="num"') > 200


def test_finance_section_lists_each_report_with_its_totals(
    client, village_page, make_report, django_assert_max_num_queries
):
    from tests.cms_home.fixtures import child

    for month in (8, 9, 10):
        make_report(month=month, slug=f"m{month}")
    section = child(village_page, "finances")
    with django_assert_max_num_queries(13):
        page = client.get(section.url).content.decode()
    assert page.count("51,234.50 元") == 3
    assert page.count("4,637.30 元") == 3

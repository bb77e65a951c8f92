"""Bad input in the admin gets clear form errors, never a server error."""

from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest

from disclosure.models import FinanceReportPage
from tests.cms_home.fixtures import child


def _row(amount, date="2026-10-05", **extra):
    return {
        "direction": "expenditure",
        "date": date,
        "category": "管理费用",
        "counterparty": "办公用品",
        "amount": amount,
        "voucher_no": "记-001",
        "attachment": "",
        "note": "",
        **extra,
    }


def _post(client, section, rows, **fields):
    data = nested_form_data(
        {
            "title": "2026年10月财务收支公开",
            "slug": "finance-10",
            "period_start": "2026-10-01",
            "period_end": "2026-10-31",
            "fund": "村集体经济组织",
            "opening_balance": "",
            "summary": "",
            "attachment": "",
            "rows": inline_formset(rows),
            **fields,
        }
    )
    return client.post(
        f"/cms/pages/add/disclosure/financereportpage/{section.pk}/", data
    )


def _row_errors(response) -> dict:
    return response.context["form"].formsets["rows"].forms[0].errors


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("一千元", "invalid"),
        ("12,34x", "invalid"),
        ("-50.00", "min_value"),
        ("0", "min_value"),
        ("999999999999", "max_whole_digits"),
        ("100000000.01", "max_value"),
        ("1.234", "max_decimal_places"),
    ],
)
def test_bad_amounts_are_form_errors(client, village_page, head, amount, code):
    client.force_login(head)
    response = _post(client, child(village_page, "finances"), [_row(amount)])
    assert response.status_code == 200
    errors = _row_errors(response).as_data()["amount"]
    assert [e.code for e in errors] == [code]
    assert str(errors[0].messages[0]) in response.content.decode()
    assert not FinanceReportPage.objects.exists()


def test_good_amount_is_saved_exactly(client, village_page, head):
    client.force_login(head)
    response = _post(client, child(village_page, "finances"), [_row("1234.50")])
    assert response.status_code == 302
    report = FinanceReportPage.objects.get()
    assert str(report.rows.get().amount) == "1234.50"


def test_row_outside_the_period_and_backwards_period(client, village_page, head):
    client.force_login(head)
    section = child(village_page, "finances")
    outside = _post(client, section, [_row("10.00", date="2026-12-01")])
    assert outside.status_code == 200
    assert "date" in _row_errors(outside)
    backwards = _post(client, section, [_row("10.00")], period_end="2026-09-01")
    assert backwards.status_code == 200
    assert "period_end" in backwards.context["form"].errors
    bad_date = _post(client, section, [_row("10.00", date="2026-02-30")])
    assert bad_date.status_code == 200
    assert "date" in _row_errors(bad_date)
    assert not FinanceReportPage.objects.exists()


def test_wrong_attachment_type_is_refused(client, village_page, head):
    from wagtail.documents.models import Document

    client.force_login(head)
    exe = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", "application/octet-stream")
    response = client.post(
        "/cms/documents/add/", {"title": "凭证", "file": exe, "collection": ""}
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not Document.objects.exists()


def test_oversized_attachment_is_refused(client, village_page, head, settings):
    from wagtail.documents.models import Document

    settings.MAX_UPLOAD_BYTES = 1024
    client.force_login(head)
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.4" + b"0" * 4096, "application/pdf")
    response = client.post("/cms/documents/add/", {"title": "凭证", "file": big})
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not Document.objects.exists()


def test_asset_register_rejects_negative_book_value(client, village_page, head):
    from wagtail.test.utils.form_data import streamfield

    client.force_login(head)
    section = child(village_page, "finances")
    data = nested_form_data(
        {
            "title": "三资公示",
            "slug": "assets",
            "summary": "",
            "body": streamfield(
                [
                    (
                        "asset_register",
                        {
                            "kind": "assets",
                            "as_of": "2026-09-30",
                            "rows": {
                                "count": 1,
                                "0-deleted": "",
                                "0-order": 0,
                                "0-value-name": "仓库",
                                "0-value-quantity": "",
                                "0-value-location": "",
                                "0-value-book_value": "-5",
                                "0-value-status": "",
                            },
                        },
                    )
                ]
            ),
        }
    )
    response = client.post(
        f"/cms/pages/add/disclosure/disclosurepage/{section.pk}/", data
    )
    assert response.status_code == 200
    assert "body" in response.context["form"].errors

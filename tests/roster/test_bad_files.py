"""Whatever is uploaded, the answer is a clear form error and nothing is saved."""

import io
import zipfile

from django.urls import reverse

import openpyxl
import pytest

from accounts.models import User
from roster import reading
from roster.forms import MAX_UPLOAD_BYTES
from roster.models import RosterImport
from spreadsheets import archives
from tests.roster.workbooks import person, workbook_bytes
from villages.models import Membership

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    return buffer.getvalue()


def _fake_xlsx_zip() -> bytes:
    """A zip that claims to be a workbook and is broken inside."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<<<not xml")
    return buffer.getvalue()


def _empty_workbook() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        pytest.param("姓名,手机号\n王五,13800138000\n".encode(), "not_xlsx", id="text"),
        pytest.param(b"", "empty", id="zero-bytes"),
        pytest.param(_zip(), "not_xlsx", id="zip"),
        pytest.param(_fake_xlsx_zip(), "not_xlsx", id="broken-xlsx"),
        pytest.param(PNG, "not_xlsx", id="image"),
        pytest.param(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "xls", id="old-xls"
        ),
        pytest.param(_empty_workbook(), "empty", id="empty-workbook"),
        pytest.param(
            workbook_bytes([["王五", "13800138000"]], header=None),
            "no_header",
            id="no-header",
        ),
        pytest.param(
            workbook_bytes([["王五", "13800138000"]], header=["名单", "备注"]),
            "no_header",
            id="wrong-header",
        ),
        pytest.param(workbook_bytes([]), "no_rows", id="header-only"),
    ],
)
def test_unreadable_uploads_are_refused(committee_client, upload, content, code):
    before = User.objects.count(), Membership.objects.count()
    response = upload(content)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["file"]
    if code:
        assert form.has_error("file", code)
    assert 'class="errorlist' in response.content.decode()
    assert RosterImport.objects.count() == 0
    assert (User.objects.count(), Membership.objects.count()) == before


def test_a_50_mb_upload_is_refused(upload):
    huge = b"PK\x03\x04" + b"\x00" * (50 * 1024 * 1024)
    response = upload(huge)
    assert response.status_code == 400
    assert response.context["form"].has_error("file", "too_large")
    assert RosterImport.objects.count() == 0
    assert len(huge) > MAX_UPLOAD_BYTES


def test_too_many_rows_are_refused(upload, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    rows = [
        person(phone=f"1390013900{i}", household=f"H{i}", roles="") for i in range(4)
    ]
    response = upload(workbook_bytes(rows))
    assert response.status_code == 400
    assert response.context["form"].has_error("file", "too_many_rows")
    assert RosterImport.objects.count() == 0


def test_the_row_cap_is_twenty_thousand():
    assert reading.MAX_ROWS == 20_000


def test_a_zip_bomb_is_refused(upload, monkeypatch):
    monkeypatch.setattr(archives, "MAX_UNPACKED_BYTES", 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr(
            "xl/worksheets/sheet1.xml", b"0" * (archives.MAX_UNPACKED_BYTES + 1)
        )
    response = upload(buffer.getvalue())
    assert response.status_code == 400
    assert response.context["form"].has_error("file", "too_large")


def test_no_file_at_all(committee_client, village):
    response = committee_client.post(
        reverse("roster:import", kwargs={"village": village.slug}), {}
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("file", "required")


def test_upload_form_page(committee_client, village):
    response = committee_client.get(
        reverse("roster:import", kwargs={"village": village.slug})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html
    assert 'class="village-name"' in html and village.name in html


def test_a_file_upload_named_anything(upload):
    content = workbook_bytes([person(grid=None)])
    response = upload(content, name="../../etc/passwd")
    assert response.status_code == 302
    stored = RosterImport.objects.get().file.name
    assert (
        stored.startswith("roster/") and ".." not in stored and stored.endswith(".xlsx")
    )

"""Every upload path checks files by their content: a renamed non-image, a
decompression bomb, an oversized file and (for documents) a web page or drawing
dressed as a PDF are refused, wherever they are sent."""

from __future__ import annotations

import io
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from PIL import Image

from points.images import photo_prepare
from villages.uploads import document_check, looks_like_markup

MB = 1024 * 1024
HTML = (
    b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
)
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(1)</script></svg>"
)


def jpeg(size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30)).save(out, "PNG")
    return out.getvalue()


def bomb() -> bytes:
    """A 12,000 × 12,000 PNG (144 megapixels) of a few kilobytes."""
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG")
    data = out.getvalue()
    assert len(data) < 100_000
    return data


def oversized(name: str, head: bytes = b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, head + b"\0" * (10 * MB + 1 - len(head)))


def ooxml(main: str, *, unpacked: int = 100) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main, "x" * unpacked)
    return out.getvalue()


# What a hostile or careless uploader sends to a photo field.
BAD_PHOTOS = {
    "renamed": lambda: SimpleUploadedFile("photo.jpg", HTML, "image/jpeg"),
    "svg": lambda: SimpleUploadedFile("photo.svg", SVG, "image/svg+xml"),
    "svg-as-jpg": lambda: SimpleUploadedFile("photo.jpg", SVG, "image/jpeg"),
    "bomb": lambda: SimpleUploadedFile("photo.png", bomb(), "image/png"),
    "oversized": lambda: oversized("photo.jpg", jpeg()),
    "truncated": lambda: SimpleUploadedFile("photo.jpg", jpeg()[:60], "image/jpeg"),
}


# -- the checker itself ---------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(BAD_PHOTOS))
def test_photo_prepare_refuses(kind):
    with pytest.raises(ValidationError):
        photo_prepare(BAD_PHOTOS[kind]())


def test_photo_prepare_makes_a_fresh_jpeg_of_a_real_photo():
    out = io.BytesIO()
    Image.new("RGB", (3000, 2000), (1, 2, 3)).save(out, "PNG")
    checked = photo_prepare(SimpleUploadedFile("x.png", out.getvalue()))
    assert (
        checked.file.name.endswith(".jpg")
        and max(checked.width, checked.height) == 1600
    )
    assert checked.file.read(3) == b"\xff\xd8\xff"


DOCS = {"pdf", "jpg", "jpeg", "png", "xlsx", "xls", "docx", "doc", "csv"}


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("notice.pdf", HTML, "markup"),
        ("notice.pdf", SVG, "markup"),
        ("notice.pdf", b"%PDF-1.4\n<html><script>x()</script>", "markup"),
        ("notice.pdf", b"MZ\x90\x00 a program", "type"),
        ("notice.pdf", b"", "empty"),
        ("table.csv", b"<html><body onload=x()>", "markup"),
        ("table.csv", b"a,b\x00\x01\xff", "type"),
        ("table.xlsx", HTML, "type"),
        ("table.xlsx", ooxml("word/document.xml"), "type"),
        ("table.xlsx", ooxml("xl/workbook.xml", unpacked=300 * MB), "bomb"),
        ("letter.docx", b"PK\x03\x04 broken", "type"),
        ("old.xls", HTML, "type"),
        ("old.doc", b"%PDF-1.4", "type"),
        ("photo.jpg", HTML, "type"),
        ("photo.jpg", png(), "type"),  # a PNG called .jpg
        ("photo.png", bomb(), "pixels"),
        ("drawing.svg", SVG, "extension"),
        ("page.html", HTML, "extension"),
        ("no-extension", b"%PDF-1.4", "extension"),
    ],
)
def test_document_check_refuses(name, content, code):
    with pytest.raises(ValidationError) as error:
        document_check(SimpleUploadedFile(name, content), extensions=DOCS)
    assert error.value.code == code


def test_document_check_refuses_oversized_files():
    with pytest.raises(ValidationError) as error:
        document_check(oversized("big.pdf", b"%PDF-1.4"), extensions=DOCS)
    assert error.value.code == "size"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notice.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj"),
        ("photo.jpg", jpeg()),
        ("table.xlsx", ooxml("xl/workbook.xml")),
        ("letter.docx", ooxml("word/document.xml")),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100),
        ("table.csv", "姓名,户号\n张三,0101\n".encode("gb18030")),
        ("TABLE.CSV", "姓名,户号\n".encode()),
    ],
)
def test_document_check_accepts_real_documents(name, content):
    upload = SimpleUploadedFile(name, content)
    document_check(upload, extensions=DOCS)
    assert upload.read() == content  # kept as it came, read from the start


def test_markup_sniff_sees_utf16_and_ignores_pdf_dictionaries():
    assert looks_like_markup("<html>".encode("utf-16-le"))
    assert looks_like_markup(b"  <SVG xmlns='x'>")
    assert not looks_like_markup(b"%PDF-1.4 << /Type /Page /Contents 4 0 R >>")


# -- each upload path -------------------------------------------------------------


@pytest.mark.parametrize("kind", ["renamed", "svg-as-jpg", "bomb", "oversized"])
def test_points_evidence_refuses(kind, client, village, household, grid_worker):
    from points.models import Entry
    from tests.points.factories import (
        RuleBookFactory,
        RuleCategoryFactory,
        RuleItemFactory,
    )
    from tests.points.test_views import form_data, url

    category = RuleCategoryFactory(rulebook=RuleBookFactory(village=village))
    item = RuleItemFactory(category=category, points=10)
    client.force_login(grid_worker)
    response = client.post(
        url("entry_new", village),
        {**form_data(household, item), "photos": [BAD_PHOTOS[kind]()]},
    )
    assert response.status_code == 400
    assert Entry.objects.count() == 0


@pytest.mark.parametrize("kind", ["renamed", "svg", "bomb", "oversized"])
def test_report_photos_refuse(kind):
    from reports.forms import PhotosField

    with pytest.raises(ValidationError):
        PhotosField().clean([BAD_PHOTOS[kind]()])


@pytest.mark.parametrize("kind", ["renamed", "svg-as-jpg", "bomb", "oversized"])
def test_shop_product_photos_refuse(kind, village, committee):
    from points.shop.services.catalogue import product_save
    from tests.shop.factories import ShopFactory

    shop = ShopFactory(village=village)
    with pytest.raises(ValidationError):
        product_save(
            shop=shop,
            product=None,
            data={"name": "油", "points": 10, "stock": 1},
            photo=BAD_PHOTOS[kind](),
            by=committee,
        )
    assert not shop.products.exists()


@pytest.mark.parametrize("kind", ["renamed", "svg-as-jpg", "bomb", "oversized"])
def test_deliberation_progress_photos_refuse(kind):
    from deliberation.forms import ProgressForm

    form = ProgressForm(
        data={"percent": 50, "text": "路基完成"}, files={"photo": BAD_PHOTOS[kind]()}
    )
    assert not form.is_valid() and "photo" in form.errors


@pytest.mark.parametrize(
    "upload",
    [
        BAD_PHOTOS["renamed"],
        BAD_PHOTOS["bomb"],
        BAD_PHOTOS["oversized"],
        lambda: SimpleUploadedFile("plan.pdf", HTML, "application/pdf"),
        lambda: SimpleUploadedFile("plan.pdf", SVG, "application/pdf"),
        lambda: SimpleUploadedFile("plan.svg", SVG, "image/svg+xml"),
        lambda: SimpleUploadedFile("plan.xlsx", HTML),
    ],
)
def test_deliberation_topic_attachments_refuse(upload):
    from deliberation.forms import TopicForm

    form = TopicForm(
        data={"title": "修路", "description": "见附件"}, files={"attachment": upload()}
    )
    assert not form.is_valid() and "attachment" in form.errors


def test_deliberation_photos_are_saved_again_as_clean_jpegs():
    from deliberation.forms import ProgressForm, TopicForm

    form = ProgressForm(
        data={"percent": 50, "text": "路基完成"},
        files={"photo": SimpleUploadedFile("p.png", png())},
    )
    assert form.is_valid(), form.errors
    photo = form.cleaned_data["photo"]
    assert photo.name.endswith(".jpg") and photo.read(3) == b"\xff\xd8\xff"
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan")
    form = TopicForm(
        data={"title": "修路", "description": "x"}, files={"attachment": pdf}
    )
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    "minutes",
    [
        lambda: SimpleUploadedFile("m.pdf", HTML),
        lambda: SimpleUploadedFile("m.pdf", b"%PDF-1.4<script>x()</script>"),
        lambda: SimpleUploadedFile("m.jpg", b"\xff\xd8\xff\xe0 not really"),
        lambda: SimpleUploadedFile("m.png", bomb()),
        lambda: oversized("m.pdf", b"%PDF-1.4"),
    ],
)
def test_points_catalogue_minutes_refuse(minutes):
    from points.forms import CatalogueUploadForm

    form = CatalogueUploadForm(
        data={"year": 2026},
        files={"file": SimpleUploadedFile("r.xlsx", b"x"), "minutes": minutes()},
    )
    assert not form.is_valid() and "minutes" in form.errors


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (lambda: SimpleUploadedFile("roster.xlsx", HTML), "not_xlsx"),
        (lambda: SimpleUploadedFile("roster.xlsx", jpeg()), "not_xlsx"),
        (
            lambda: SimpleUploadedFile(
                "roster.xlsx", ooxml("xl/workbook.xml", unpacked=300 * MB)
            ),
            "too_large",
        ),
    ],
)
def test_roster_refuses(upload, code, village, committee):
    from roster.models import RosterImport
    from roster.reading import RosterFileError
    from roster.services import roster_import_create

    with pytest.raises(RosterFileError) as error:
        roster_import_create(village=village, by=committee, upload=upload())
    assert error.value.code == code
    assert not RosterImport.objects.exists()


def test_roster_form_refuses_oversized_files():
    from roster.forms import RosterUploadForm

    form = RosterUploadForm(files={"file": oversized("roster.xlsx", b"PK\x03\x04")})
    assert not form.is_valid() and "file" in form.errors


# -- Wagtail images and documents (the admin's own forms) ------------------------


@pytest.mark.parametrize(
    "upload",
    [
        BAD_PHOTOS["renamed"],
        BAD_PHOTOS["svg"],
        BAD_PHOTOS["svg-as-jpg"],
        BAD_PHOTOS["bomb"],
        BAD_PHOTOS["oversized"],
    ],
)
def test_wagtail_images_refuse(upload, db):
    from wagtail.images import get_image_model
    from wagtail.images.forms import get_image_form

    Form = get_image_form(get_image_model())
    form = Form(data={"title": "照片"}, files={"file": upload()})
    assert not form.is_valid() and "file" in form.errors


def test_wagtail_images_accept_a_real_photo(db):
    from wagtail.images import get_image_model
    from wagtail.images.forms import get_image_form

    Form = get_image_form(get_image_model())
    form = Form(
        data={"title": "照片"}, files={"file": SimpleUploadedFile("a.jpg", jpeg())}
    )
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    "upload",
    [
        lambda: SimpleUploadedFile("report.pdf", HTML, "application/pdf"),
        lambda: SimpleUploadedFile("report.pdf", SVG, "application/pdf"),
        lambda: SimpleUploadedFile("report.svg", SVG, "image/svg+xml"),
        lambda: SimpleUploadedFile("report.html", HTML, "text/html"),
        lambda: SimpleUploadedFile("photo.jpg", HTML, "image/jpeg"),
        lambda: SimpleUploadedFile("photo.png", bomb(), "image/png"),
        lambda: oversized("report.pdf", b"%PDF-1.4"),
    ],
)
def test_wagtail_documents_refuse(upload, db):
    from wagtail.documents import get_document_model
    from wagtail.documents.forms import get_document_form

    Form = get_document_form(get_document_model())
    form = Form(data={"title": "附件"}, files={"file": upload()})
    assert not form.is_valid() and "file" in form.errors


def test_wagtail_documents_accept_a_real_pdf(db):
    from wagtail.documents import get_document_model
    from wagtail.documents.forms import get_document_form

    Form = get_document_form(get_document_model())
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF", "application/pdf")
    form = Form(data={"title": "附件"}, files={"file": pdf})
    assert form.is_valid(), form.errors

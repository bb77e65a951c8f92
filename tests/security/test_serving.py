"""Uploaded files that Django hands out can never run as pages: documents are
downloads in a sandbox, private photos are JPEGs in a sandbox, never sniffed."""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from points.images import photo_prepare
from tests.factories import MembershipFactory, UserFactory
from tests.security.test_uploads import HTML, jpeg

SANDBOX = "default-src 'none'; sandbox"


def assert_sandboxed(response, *, content_type: str, disposition: str) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Security-Policy"] == SANDBOX
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Content-Disposition"].startswith(disposition)


def test_documents_are_served_by_django_as_downloads():
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert settings.WAGTAILDOCS_INLINE_CONTENT_TYPES == []
    assert "svg" not in settings.WAGTAILDOCS_EXTENSIONS
    assert "html" not in settings.WAGTAILDOCS_EXTENSIONS
    assert "svg" not in settings.WAGTAILIMAGES_EXTENSIONS


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("report.pdf", b"%PDF-1.4\n%%EOF", "application/pdf"),
        ("table.csv", "姓名,户号\n".encode(), "text/csv"),
        # A file that got in before the content checks, or by another way, is
        # still only a download in a sandbox.
        ("old.csv", HTML, "text/csv"),
    ],
)
def test_a_document_is_a_sandboxed_download(client, db, name, content, content_type):
    from wagtail.documents import get_document_model

    document = get_document_model().objects.create(
        title="附件", file=ContentFile(content, name=name)
    )
    response = client.get(document.url)
    assert_sandboxed(response, content_type=content_type, disposition="attachment")
    assert b"".join(response.streaming_content) == content


def test_points_evidence_photo_is_a_sandboxed_jpeg(
    client, village, household, grid_worker
):
    from points.models import EntryPhoto
    from tests.points.factories import (
        RuleBookFactory,
        RuleCategoryFactory,
        RuleItemFactory,
    )
    from tests.points.test_views import form_data, url

    category = RuleCategoryFactory(rulebook=RuleBookFactory(village=village))
    item = RuleItemFactory(category=category, points=10)
    client.force_login(grid_worker)
    photo = SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg")
    response = client.post(
        url("entry_new", village), {**form_data(household, item), "photos": [photo]}
    )
    assert response.status_code == 302
    response = client.get(url("photo", village, pk=EntryPhoto.objects.get().pk))
    assert_sandboxed(response, content_type="image/jpeg", disposition="inline")


def test_report_photo_is_a_sandboxed_jpeg(client, village, household):
    from reports.models import ReportPhoto
    from tests.reports.factories import file_report

    filer = UserFactory()
    MembershipFactory(village=village, user=filer, household=household)
    photo = photo_prepare(SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg"))
    file_report(village, filer, photos=[photo])
    client.force_login(filer)
    response = client.get(
        f"/v/{village.slug}/reports/photos/{ReportPhoto.objects.get().pk}/"
    )
    assert_sandboxed(response, content_type="image/jpeg", disposition="inline")

from django.urls import reverse

import pytest

from roster.models import RosterImport
from tests.roster.workbooks import xlsx_upload


@pytest.fixture
def committee_client(client, committee):
    client.force_login(committee)
    return client


@pytest.fixture
def upload(committee_client, village):
    """POST a workbook to the import form; returns the response."""

    def _upload(content: bytes, name: str = "花名册.xlsx", client=None):
        return (client or committee_client).post(
            reverse("roster:import", kwargs={"village": village.slug}),
            {"file": xlsx_upload(content, name)},
        )

    return _upload


@pytest.fixture
def import_roster(
    committee_client, village, upload, django_capture_on_commit_callbacks
):
    """Upload, check and confirm a workbook; returns the finished RosterImport."""

    def _import(content: bytes) -> RosterImport:
        response = upload(content)
        assert response.status_code == 302, response.content.decode()[:2000]
        roster_import = RosterImport.objects.latest("pk")
        assert roster_import.status == RosterImport.Status.VALIDATED, (
            roster_import.errors
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = committee_client.post(
                reverse(
                    "roster:import_confirm",
                    kwargs={"village": village.slug, "pk": roster_import.pk},
                )
            )
        assert response.status_code == 302
        roster_import.refresh_from_db()
        return roster_import

    return _import

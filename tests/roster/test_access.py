"""Who may import and export, and that one village never sees another's imports."""

from django.urls import reverse

import pytest

from roster.models import RosterImport
from tests.roster.workbooks import person, workbook_bytes, xlsx_upload


@pytest.fixture
def an_import(village, committee, upload):
    upload(workbook_bytes([person(grid=None)]))
    return RosterImport.objects.get()


def _urls(village, an_import):
    kwargs = {"village": village.slug}
    return {
        "export": reverse("roster:export", kwargs=kwargs),
        "import": reverse("roster:import", kwargs=kwargs),
        "detail": an_import.get_absolute_url(),
    }


@pytest.mark.parametrize(
    ("who", "export", "import_", "detail"),
    [
        ("resident", 403, 403, 403),
        ("household_rep", 403, 403, 403),
        ("grid_worker", 403, 403, 403),
        ("shopkeeper", 403, 403, 403),
        ("monitor", 200, 403, 403),
        ("supervisor", 200, 403, 403),
        ("committee", 200, 200, 200),
        ("other_committee", 403, 403, 403),
    ],
)
def test_role_matrix(client, request, village, an_import, who, export, import_, detail):
    client.force_login(request.getfixturevalue(who))
    urls = _urls(village, an_import)
    assert client.get(urls["export"]).status_code == export
    assert client.get(urls["import"]).status_code == import_
    assert client.get(urls["detail"]).status_code == detail


@pytest.mark.parametrize("who", ["resident", "monitor", "other_committee"])
def test_only_the_committee_uploads_and_confirms(
    client, request, village, an_import, who
):
    client.force_login(request.getfixturevalue(who))
    kwargs = {"village": village.slug}
    response = client.post(
        reverse("roster:import", kwargs=kwargs),
        {"file": xlsx_upload(workbook_bytes([person(phone="13900139000")]))},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("roster:import_confirm", kwargs={**kwargs, "pk": an_import.pk})
    )
    assert response.status_code == 403
    assert RosterImport.objects.count() == 1
    an_import.refresh_from_db()
    assert an_import.status == RosterImport.Status.VALIDATED


def test_anonymous_is_sent_to_login(client, village, an_import):
    client.logout()
    for url in _urls(village, an_import).values():
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_another_villages_import_is_not_found(
    client, village, other_village, other_committee, an_import
):
    client.force_login(other_committee)
    url = reverse(
        "roster:import_detail",
        kwargs={"village": other_village.slug, "pk": an_import.pk},
    )
    assert client.get(url).status_code == 404
    confirm = reverse(
        "roster:import_confirm",
        kwargs={"village": other_village.slug, "pk": an_import.pk},
    )
    assert client.post(confirm).status_code == 404
    an_import.refresh_from_db()
    assert an_import.status == RosterImport.Status.VALIDATED

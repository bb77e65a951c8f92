"""A private report is seen by its filer and its handlers only; the public list
shows no name or phone; another village sees nothing."""

import pytest

from reports.models import ReportPhoto
from tests.factories import MembershipFactory, UserFactory
from tests.reports.factories import assigned_report, file_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def filer(village, household):
    user = UserFactory(name="王秀英", phone="+8613912345678")
    MembershipFactory(village=village, user=user, household=household)
    return user


def test_private_report_is_for_the_filer_and_the_handlers(
    client,
    village,
    filer,
    neighbour,
    committee,
    grid_worker,
    monitor,
    supervisor,
    other_committee,
    photo_upload,
):
    from points.images import photo_prepare

    report = file_report(
        village, filer, text="邻居占了我家宅基地", photos=[photo_prepare(photo_upload)]
    )
    photo = ReportPhoto.objects.get()
    photo_url = f"/v/{village.slug}/reports/photos/{photo.pk}/"
    # before assignment the grid worker is no handler yet
    for person, status in [
        (filer, 200),
        (committee, 200),
        (neighbour, 404),
        (grid_worker, 404),
        (monitor, 404),
        (supervisor, 404),
        (other_committee, 403),
    ]:
        client.force_login(person)
        response = client.get(report.get_absolute_url())
        assert response.status_code == status, person
        assert client.get(photo_url).status_code == status, person
        if status != 200:
            assert "宅基地" not in response.content.decode()
    from reports import services
    from tests.reports.factories import due

    services.report_assign(
        report=report, by=committee, assignee=grid_worker, due_on=due()
    )
    client.force_login(grid_worker)
    response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    assert "王秀英" in response.content.decode()  # the handler may call back


def test_private_reports_are_not_listed(client, village, filer, neighbour):
    file_report(village, filer, text="家里的私事")
    client.force_login(neighbour)
    body = client.get(f"/v/{village.slug}/reports/").content.decode()
    assert "家里的私事" not in body


def test_public_list_and_page_show_no_name_or_phone(
    client, village, filer, neighbour, committee, grid_worker
):
    report = assigned_report(
        village, filer, committee, grid_worker, text="路灯坏了三盏", is_public=True
    )
    client.force_login(neighbour)
    listing = client.get(f"/v/{village.slug}/reports/").content.decode()
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200
    for body in (listing, page.content.decode()):
        assert "路灯坏了三盏" in body
        assert "王秀英" not in body
        assert "13912345678" not in body and "139 1234 5678" not in body
    # the filer's own page does say who filed it
    client.force_login(filer)
    assert "王秀英" in client.get(report.get_absolute_url()).content.decode()


def test_public_report_is_not_shown_to_another_village(
    client, village, filer, other_committee
):
    report = file_report(village, filer, is_public=True)
    client.force_login(other_committee)
    assert client.get(report.get_absolute_url()).status_code == 403
    assert client.get(f"/v/{village.slug}/reports/").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, village, filer):
    report = file_report(village, filer, is_public=True)
    response = client.get(report.get_absolute_url())
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]


def test_a_report_of_another_village_is_not_found_by_number(
    client, village, other_village, filer, other_committee
):
    report = file_report(village, filer, is_public=True)
    client.force_login(other_committee)
    response = client.get(f"/v/{other_village.slug}/reports/{report.pk}/")
    assert response.status_code == 404
    for step in ("assign", "close", "progress", "rate", "escalate", "me-too"):
        response = client.post(f"/v/{other_village.slug}/reports/{report.pk}/{step}/")
        assert response.status_code == 404, step


def test_the_public_page_does_not_point_at_the_filer(
    client, village, filer, neighbour, committee, grid_worker, household
):
    """The grid on a report is the filer's own (for routing): in a village of
    150 households it narrows down who filed, so neighbours never see it; they
    see the place the filer typed, and were told so before sending."""
    grid_name = household.grid.name
    report = assigned_report(
        village, filer, committee, grid_worker, place="村口大桥", is_public=True
    )
    assert report.grid_id == household.grid_id
    client.force_login(neighbour)
    listing = client.get(f"/v/{village.slug}/reports/").content.decode()
    page = client.get(report.get_absolute_url()).content.decode()
    for body in (listing, page):
        assert grid_name not in body
    assert "村口大桥" in page
    # the handlers still see it
    client.force_login(grid_worker)
    assert grid_name in client.get(report.get_absolute_url()).content.decode()
    # before sending: the form says what neighbours will see, and what not
    client.force_login(filer)
    form = client.get(f"/v/{village.slug}/reports/new/").content.decode()
    assert "看不到您的姓名、电话和网格" in form

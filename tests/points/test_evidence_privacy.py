"""Evidence photos show people and homes: they are kept out of the public media
folder and handed only to those who may see the household's entries."""

from pathlib import Path

from django.conf import settings
from django.urls import reverse

import pytest

from points.models import EntryPhoto
from tests.factories import HouseholdFactory, MembershipFactory
from tests.points.test_views import form_data, jpeg, url


@pytest.fixture
def photo(client, village, household, good_item, grid_worker):
    client.force_login(grid_worker)
    response = client.post(
        url("entry_new", village),
        {**form_data(household, good_item), "photos": [jpeg()]},
    )
    assert response.status_code == 302
    client.logout()
    return EntryPhoto.objects.get()


@pytest.mark.django_db
def test_photo_is_stored_outside_the_public_media_folder(photo):
    stored = Path(photo.image.path).resolve()
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert stored.is_relative_to(Path(settings.PRIVATE_ROOT).resolve())
    with pytest.raises(ValueError):
        photo.image.url  # noqa: B018 - no public address at all


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["resident", "committee", "grid_worker", "monitor"])
def test_people_of_the_household_and_its_officers_get_the_photo(
    client, request, village, photo, who
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url("photo", village, pk=photo.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


@pytest.mark.django_db
def test_a_neighbour_another_village_and_strangers_do_not(
    client, village, grid, photo, other_committee
):
    neighbour = MembershipFactory(
        village=village, household=HouseholdFactory(village=village, grid=grid)
    ).user
    for user in [neighbour, other_committee]:
        client.force_login(user)
        assert client.get(url("photo", village, pk=photo.pk)).status_code in (403, 404)
    client.logout()
    response = client.get(url("photo", village, pk=photo.pk))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.django_db
def test_the_household_page_links_the_private_address(
    client, village, household, photo, resident
):
    client.force_login(resident)
    page = client.get(
        url("household", village, number=household.number)
    ).content.decode()
    assert url("photo", village, pk=photo.pk) in page
    assert "/media/" not in page

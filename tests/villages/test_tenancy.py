"""A member of one village gets 403 or 404, never data, for another village's URLs."""

from django.urls import reverse

import pytest

from audit.services import audit_log

VILLAGE_URLS = ["villages:home", "roster:list", "audit:log"]


@pytest.fixture
def secret_in_village(village, committee):
    audit_log(
        actor=committee, village=village, action="test.secret", note="柳溪村的秘密"
    )
    return "柳溪村的秘密"


@pytest.mark.parametrize("name", VILLAGE_URLS)
def test_committee_of_another_village_is_refused(
    client, name, village, other_committee, secret_in_village
):
    client.force_login(other_committee)
    response = client.get(reverse(name, kwargs={"village": village.slug}))
    assert response.status_code in (403, 404)
    assert secret_in_village not in response.content.decode()
    assert village.name not in response.content.decode()


@pytest.mark.parametrize("name", VILLAGE_URLS)
def test_anonymous_is_sent_to_login(client, name, village):
    response = client.get(reverse(name, kwargs={"village": village.slug}))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("name", VILLAGE_URLS)
def test_unknown_village_is_404(client, name, committee):
    client.force_login(committee)
    assert (
        client.get(reverse(name, kwargs={"village": "no-such-village"})).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("who", "home", "roster", "log"),
    [
        ("resident", 200, 403, 403),
        ("household_rep", 200, 403, 403),
        ("grid_worker", 200, 403, 403),
        ("shopkeeper", 200, 403, 403),
        ("committee", 200, 200, 200),
        ("monitor", 200, 200, 200),
        ("supervisor", 200, 200, 200),
    ],
)
def test_role_matrix(client, request, village, who, home, roster, log):
    client.force_login(request.getfixturevalue(who))
    kwargs = {"village": village.slug}
    assert client.get(reverse("villages:home", kwargs=kwargs)).status_code == home
    assert client.get(reverse("roster:list", kwargs=kwargs)).status_code == roster
    assert client.get(reverse("audit:log", kwargs=kwargs)).status_code == log


def test_every_village_page_names_its_village(client, village, committee):
    client.force_login(committee)
    for name in VILLAGE_URLS:
        response = client.get(reverse(name, kwargs={"village": village.slug}))
        assert 'class="village-name"' in response.content.decode()
        assert village.name in response.content.decode()


def test_supervisor_reads_villages_of_their_area_only(client, village, supervisor, db):
    from tests.factories import AreaFactory, VillageFactory

    elsewhere = VillageFactory(area=AreaFactory(name="远山镇", slug="yuanshan"))
    client.force_login(supervisor)
    assert (
        client.get(
            reverse("villages:home", kwargs={"village": village.slug})
        ).status_code
        == 200
    )
    assert (
        client.get(
            reverse("villages:home", kwargs={"village": elsewhere.slug})
        ).status_code
        == 403
    )


def test_a_person_in_two_villages_sees_each(client, village, other_village, db):
    from tests.factories import MembershipFactory, UserFactory

    person = UserFactory()
    MembershipFactory(user=person, village=village)
    MembershipFactory(user=person, village=other_village, is_committee=True)
    client.force_login(person)
    me = client.get(reverse("accounts:me")).content.decode()
    assert village.name in me and other_village.name in me
    assert (
        client.get(reverse("roster:list", kwargs={"village": village.slug})).status_code
        == 403
    )
    assert (
        client.get(
            reverse("roster:list", kwargs={"village": other_village.slug})
        ).status_code
        == 200
    )


def test_a_person_who_left_is_refused(client, village, resident):
    from django.utils import timezone

    resident.memberships.update(left_at=timezone.now())
    client.force_login(resident)
    assert (
        client.get(
            reverse("villages:home", kwargs={"village": village.slug})
        ).status_code
        == 403
    )

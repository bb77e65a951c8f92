from django.urls import reverse

import pytest

from tests.factories import HouseholdFactory, MembershipFactory


def _add_members(village, grid, n):
    for i in range(n):
        household = HouseholdFactory(village=village, grid=grid)
        MembershipFactory(
            village=village,
            household=household,
            grid=grid,
            relation="head",
            is_household_rep=i % 2 == 0,
        )


@pytest.mark.parametrize("members", [1, 40])
def test_roster_list_costs_a_fixed_number_of_queries(
    committee_client, village, grid, members, django_assert_max_num_queries
):
    _add_members(village, grid, members)
    url = reverse("roster:list", kwargs={"village": village.slug})
    with django_assert_max_num_queries(7):
        response = committee_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("roster:export", kwargs={"village": village.slug}) in html
    assert reverse("roster:import", kwargs={"village": village.slug}) in html


def test_readers_see_export_but_not_import(client, village, monitor):
    client.force_login(monitor)
    html = client.get(
        reverse("roster:list", kwargs={"village": village.slug})
    ).content.decode()
    assert reverse("roster:export", kwargs={"village": village.slug}) in html
    assert reverse("roster:import", kwargs={"village": village.slug}) not in html

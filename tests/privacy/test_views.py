"""The pages: download my data; the committee's confirm page for a removal."""

import io
import zipfile

from django.urls import reverse

import pytest

from audit.models import AuditEntry
from privacy.services import EXPORTS_PER_HOUR

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

EXPORT = reverse("privacy:export")


def remove_url(village, membership_pk):
    return reverse(
        "privacy:remove", kwargs={"village": village.slug, "pk": membership_pk}
    )


def test_my_page_links_to_the_download(client, resident):
    client.force_login(resident)
    assert EXPORT in client.get(reverse("accounts:me")).content.decode()


def test_the_download_page_then_the_zip(client, resident):
    client.force_login(resident)
    page = client.get(EXPORT)
    assert page.status_code == 200
    assert "never what you chose" in page.content.decode()
    response = client.post(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "data.xlsx" in names and "account.json" in names


def test_too_many_downloads_are_refused_with_a_reason(client, resident):
    client.force_login(resident)
    for _ in range(EXPORTS_PER_HOUR):
        assert client.post(EXPORT).status_code == 200
    response = client.post(EXPORT)
    assert response.status_code == 429
    assert "Try again later" in response.content.decode()
    assert AuditEntry.objects.filter(action="privacy.export").count() == 3


def test_the_download_needs_a_login(client):
    assert client.get(EXPORT).status_code == 302
    assert client.post(EXPORT).status_code == 302
    assert not AuditEntry.objects.exists()


def test_the_roster_links_each_person_to_removal_for_the_committee_only(
    client, village, committee, monitor, household_rep
):
    membership = household_rep.memberships.get()
    roster = reverse("roster:list", kwargs={"village": village.slug})
    client.force_login(committee)
    assert remove_url(village, membership.pk) in client.get(roster).content.decode()
    client.force_login(monitor)
    page = client.get(roster)
    assert page.status_code == 200
    assert remove_url(village, membership.pk) not in page.content.decode()


def test_the_confirm_page_says_what_goes_and_what_stays(
    client, village, committee, household_rep
):
    membership = household_rep.memberships.get()
    client.force_login(committee)
    page = client.get(remove_url(village, membership.pk))
    assert page.status_code == 200
    text = page.content.decode()
    assert household_rep.name in text
    assert "What is removed" in text and "What stays" in text
    assert "The account is erased" in text
    assert "representative role passes to nobody" in text
    assert "hash chain" in text
    membership.refresh_from_db()
    assert membership.left_at is None  # looking changes nothing


def test_removing_through_the_page(client, village, committee, household_rep):
    membership = household_rep.memberships.get()
    name = household_rep.name
    client.force_login(committee)
    response = client.post(remove_url(village, membership.pk), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "roster:list", kwargs={"village": village.slug}
    )
    text = response.content.decode()
    assert f"{name} has left the village and the account was erased" in text
    assert "LX-001 now has no representative" in text
    membership.refresh_from_db()
    assert membership.left_at is not None
    # gone from the roster
    assert name not in client.get(response.redirect_chain[-1][0]).content.decode()


def test_removing_someone_already_removed_says_so(
    client, village, committee, household_rep
):
    membership = household_rep.memberships.get()
    client.force_login(committee)
    client.post(remove_url(village, membership.pk))
    audit = AuditEntry.objects.count()
    page = client.get(remove_url(village, membership.pk))
    assert page.status_code == 200 and "left the village on" in page.content.decode()
    response = client.post(remove_url(village, membership.pk))
    assert response.status_code == 409
    assert "already left the village" in response.content.decode()
    assert AuditEntry.objects.count() == audit


@pytest.mark.parametrize("who", ["resident", "grid_worker", "monitor", "supervisor"])
def test_other_roles_may_not_remove(request, client, village, household_rep, who):
    membership = household_rep.memberships.get()
    client.force_login(request.getfixturevalue(who))
    assert client.get(remove_url(village, membership.pk)).status_code == 403
    assert client.post(remove_url(village, membership.pk)).status_code == 403
    membership.refresh_from_db()
    assert membership.left_at is None


def test_another_villages_committee_may_not_remove(
    client, village, other_village, other_committee, household_rep
):
    membership = household_rep.memberships.get()
    client.force_login(other_committee)
    # through this village's address: not their village
    assert client.post(remove_url(village, membership.pk)).status_code == 403
    # through their own village's address: no such person there
    assert client.post(remove_url(other_village, membership.pk)).status_code == 404
    membership.refresh_from_db()
    assert membership.left_at is None


@pytest.mark.parametrize("pk", ["999999", "0", "abc", "-1", "1.5", "%20"])
def test_junk_ids_are_not_found(client, village, committee, household_rep, pk):
    client.force_login(committee)
    url = f"/v/{village.slug}/roster/{pk}/remove/"
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert household_rep.memberships.get().left_at is None


def test_removal_needs_a_login(client, village, household_rep):
    membership = household_rep.memberships.get()
    response = client.post(remove_url(village, membership.pk))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.left_at is None

"""Each village is its own subtree: its committee edits it, nobody else does."""

from django.contrib.auth.models import Group

from tests.cms_home.fixtures import child
from villages.models import Membership
from villages.services import membership_sync_cms_access


def test_committee_member_edits_own_village_only(
    client, village_page, other_village_page, clerk
):
    mine = child(village_page, "notices")
    theirs = child(other_village_page, "notices")
    assert mine.permissions_for_user(clerk).can_add_subpage()
    assert mine.permissions_for_user(clerk).can_edit()
    assert not theirs.permissions_for_user(clerk).can_edit()
    assert not theirs.permissions_for_user(clerk).can_add_subpage()
    client.force_login(clerk)
    assert client.get(f"/cms/pages/{mine.pk}/edit/").status_code == 200
    response = client.get(f"/cms/pages/{theirs.pk}/edit/")
    assert response.status_code in (302, 403)
    response = client.get(f"/cms/pages/add/notices/noticepage/{theirs.pk}/")
    assert response.status_code in (302, 403)


def test_other_village_committee_cannot_edit(
    client, village_page, other_village_page, other_committee
):
    membership_sync_cms_access(Membership.objects.get(user=other_committee))
    page = child(village_page, "finances")
    assert not page.permissions_for_user(other_committee).can_edit()
    client.force_login(other_committee)
    assert client.get(f"/cms/pages/{page.pk}/edit/").status_code in (302, 403)


def test_clerk_drafts_but_cannot_publish(village_page, clerk, head):
    section = child(village_page, "village-affairs")
    assert not section.permissions_for_user(clerk).can_publish_subpage()
    assert section.permissions_for_user(head).can_publish_subpage()


def test_residents_and_monitors_get_no_admin(site_village, resident, monitor):
    for user in (resident, monitor):
        membership_sync_cms_access(Membership.objects.get(user=user))
        assert not user.has_perm("wagtailadmin.access_admin")


def test_leaving_the_committee_takes_the_rights_away(site_village, clerk, head):
    membership = Membership.objects.get(user=head, village=site_village)
    membership.is_committee = False
    membership.save()
    membership_sync_cms_access(membership)
    assert not head.groups.exists()
    assert Group.objects.filter(user=clerk).count() == 1


def test_media_collections_are_per_village(
    client, village_page, other_village_page, clerk
):
    from wagtail.documents.models import Document
    from wagtail.models import Collection
    from wagtail.permission_policies.collections import (
        CollectionOwnershipPermissionPolicy,
    )

    policy = CollectionOwnershipPermissionPolicy(Document)
    allowed = set(policy.collections_user_has_permission_for(clerk, "add"))
    mine = Collection.objects.get(name__endswith=village_page.village.name)
    theirs = Collection.objects.get(name__endswith=other_village_page.village.name)
    assert mine in allowed and theirs not in allowed


def test_approver_is_named_by_command(site_village, clerk, resident, capsys):
    from django.core.management import CommandError, call_command

    import pytest

    call_command("cms_approver", site_village.slug, clerk.phone)
    from cms_home.models import VillageCms

    assert (
        VillageCms.objects.get(village=site_village)
        .approvers.user_set.filter(pk=clerk.pk)
        .exists()
    )
    with pytest.raises(CommandError):
        call_command("cms_approver", site_village.slug, resident.phone)
    with pytest.raises(CommandError):
        call_command("cms_approver", site_village.slug, "not a phone")
    call_command("cms_approver", site_village.slug, clerk.phone, "--remove")
    assert not clerk.groups.filter(name__contains="approvers").exists()

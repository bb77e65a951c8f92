"""Writes about villages and memberships that other parts of the product hook into."""

from __future__ import annotations

from django.db import transaction

from audit.services import audit_log
from villages.models import Area, Membership, Village


@transaction.atomic
def village_create(*, area: Area, name: str, slug: str, by=None) -> Village:
    """Create a village with everything it needs: its public page subtree, its media
    collection, its committee's Wagtail groups, page permissions and workflow."""
    from cms_home.provisioning import village_site_setup

    village = Village.objects.create(area=area, name=name, slug=slug)
    village_site_setup(village=village)
    audit_log(actor=by, action="village.create", village=village, target=village)
    return village


def village_site_ensure(*, village: Village) -> None:
    """Set up the village's site if it was created another way (idempotent)."""
    from cms_home.provisioning import village_site_setup

    village_site_setup(village=village)


def membership_sync_cms_access(membership: Membership) -> None:
    """Call after a membership's roles change or it ends (roster import, invitation,
    leaving): committee members get their own village's editing rights in the
    Wagtail admin and nobody keeps them after leaving the committee."""
    from cms_home.provisioning import membership_cms_sync

    membership_cms_sync(membership)


def village_sync_cms_access(*, village: Village) -> None:
    """Bring the Wagtail rights of a whole village in line with its roster (after a
    roster import): every committee member edits, and whoever left the committee
    or the village loses the rights. Touches only the committee and those who
    hold rights now, so it costs a few queries per committee member."""
    from cms_home.provisioning import village_site_setup

    cms = village_site_setup(village=village)
    holders = set(cms.editors.user_set.values_list("pk", flat=True))
    holders |= set(cms.approvers.user_set.values_list("pk", flat=True))
    memberships = Membership.objects.filter(village=village).select_related(
        "user", "village"
    )
    for membership in memberships.filter(is_committee=True) | memberships.filter(
        user_id__in=holders
    ):
        membership_sync_cms_access(membership)


@transaction.atomic
def membership_set_cms_approver(
    *, membership: Membership, approver: bool, by=None
) -> None:
    """Name the committee member who approves pages (the committee head, 村支书 or
    村主任) or take the role away."""
    from cms_home.provisioning import approver_set

    approver_set(membership=membership, approver=approver)
    audit_log(
        actor=by,
        action="cms.approver_set" if approver else "cms.approver_unset",
        village=membership.village,
        target=membership,
    )

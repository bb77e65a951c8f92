"""Set up a village in Wagtail: its page subtree, media collection, the groups its
committee acts through (clerks draft, the head approves), page permissions limited
to its own subtree, and its approval workflow. Idempotent: safe to run again."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from cms_home.models import PortalPage, VillageCms, VillagePage
from villages.models import Membership, Village

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page"]
APPROVER_PAGE_PERMISSIONS = [*EDITOR_PAGE_PERMISSIONS, "publish_page", "unlock_page"]
MEDIA_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
]


def _publish(page: Page) -> Page:
    page.save_revision().publish()
    return page


def portal_for(*, area) -> PortalPage:
    """The portal page of the village's township (or its county); made on first use
    at the site root, and made the default site's home page if that is not a portal."""
    portal = (
        PortalPage.objects.filter(area=area).first()
        or PortalPage.objects.filter(area__isnull=False, area=area.parent_id).first()
        or PortalPage.objects.first()
    )
    if portal is None:
        root = Page.get_first_root_node()
        portal = _publish(
            root.add_child(
                instance=PortalPage(title=area.name, slug=area.slug, area=area)
            )
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", root_page=portal, is_default_site=True
        )
    elif not isinstance(site.root_page.specific, PortalPage):
        site.root_page = portal
        site.save(update_fields=["root_page"])
    return portal


def _default_children() -> list[Page]:
    from disclosure.models import DisclosureIndexPage, Section
    from notices.models import NoticeIndexPage

    return [
        NoticeIndexPage(title=_("Notices"), slug="notices"),
        DisclosureIndexPage(
            title=_("Village affairs"), slug="village-affairs", section=Section.VILLAGE
        ),
        DisclosureIndexPage(
            title=_("Party affairs"), slug="party-affairs", section=Section.PARTY
        ),
        DisclosureIndexPage(
            title=_("Finances"), slug="finances", section=Section.FINANCE
        ),
    ]


def _permissions(pairs) -> list[Permission]:
    found = []
    for app_label, codename in pairs:
        found.append(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return found


@transaction.atomic
def village_site_setup(*, village: Village) -> VillageCms:
    existing = VillageCms.objects.filter(village=village).first()
    if existing is not None:
        return existing
    with translation.override(settings.LANGUAGE_CODE):
        page = VillagePage.objects.filter(village=village).first()
        if page is None:
            portal = portal_for(area=village.area)
            page = _publish(
                portal.add_child(
                    instance=VillagePage(
                        title=village.name, slug=village.slug, village=village
                    )
                )
            )
            for child in _default_children():
                _publish(page.add_child(instance=child))
        collection = Collection.get_first_root_node().add_child(
            name=f"{village.area.name} {village.name}"
        )
        label = f"{village.name} ({village.slug})"
        editors, _created = Group.objects.get_or_create(
            name=_("%(village)s: editors") % {"village": label}
        )
        approvers, _created = Group.objects.get_or_create(
            name=_("%(village)s: approvers") % {"village": label}
        )
        access_admin = _permissions([("wagtailadmin", "access_admin")])
        media = _permissions(MEDIA_PERMISSIONS)
        for group, page_perms in [
            (editors, EDITOR_PAGE_PERMISSIONS),
            (approvers, APPROVER_PAGE_PERMISSIONS),
        ]:
            group.permissions.add(*access_admin)
            for codename in page_perms:
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page=page,
                    permission=Permission.objects.get(
                        content_type__app_label="wagtailcore", codename=codename
                    ),
                )
            for permission in media:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection, permission=permission
                )
        workflow = Workflow.objects.create(
            name=_("%(village)s: approval") % {"village": label}
        )
        task = GroupApprovalTask.objects.create(
            name=_("%(village)s: committee head approves") % {"village": label}
        )
        task.groups.set([approvers])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.update_or_create(
            page=page, defaults={"workflow": workflow}
        )
    cms = VillageCms.objects.create(
        village=village,
        editors=editors,
        approvers=approvers,
        collection=collection,
        workflow=workflow,
    )
    for membership in (
        Membership.objects.active()
        .filter(village=village, is_committee=True)
        .select_related("user")
    ):
        membership.user.groups.add(editors)
    return cms


def membership_cms_sync(membership: Membership) -> None:
    """Give or take the village's editing rights to match the membership: active
    committee members edit (and the committee head, once named, approves);
    everybody else has neither."""
    cms = village_site_setup(village=membership.village)
    user = membership.user
    if membership.left_at is None and membership.is_committee:
        user.groups.add(cms.editors)
    else:
        user.groups.remove(cms.editors, cms.approvers)


def approver_set(*, membership: Membership, approver: bool) -> None:
    """Name (or un-name) a committee member as the village's approver (the head)."""
    cms = village_site_setup(village=membership.village)
    if approver:
        if membership.left_at is not None or not membership.is_committee:
            raise ValueError("only an active committee member can approve pages")
        membership.user.groups.add(cms.editors, cms.approvers)
    else:
        membership.user.groups.remove(cms.approvers)

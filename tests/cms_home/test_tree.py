"""Page tree rules: each page type lives only where it belongs."""

from wagtail.models import Page

import pytest

from cms_home.models import PortalPage, VillagePage
from disclosure.models import DisclosureIndexPage, DisclosurePage, FinanceReportPage
from notices.models import NoticeIndexPage, NoticePage
from tests.cms_home.fixtures import child

TREE = {
    PortalPage: {VillagePage},
    VillagePage: {NoticeIndexPage, DisclosureIndexPage},
    NoticeIndexPage: {NoticePage},
    NoticePage: set(),
    DisclosureIndexPage: {DisclosurePage, FinanceReportPage},
    DisclosurePage: set(),
    FinanceReportPage: set(),
}


@pytest.mark.parametrize("model", list(TREE))
def test_subpage_types(model):
    assert set(model.allowed_subpage_models()) == TREE[model]


def test_parent_types():
    assert PortalPage.allowed_parent_page_models() == [Page]
    assert VillagePage.allowed_parent_page_models() == [PortalPage]
    assert NoticePage.allowed_parent_page_models() == [NoticeIndexPage]
    assert FinanceReportPage.allowed_parent_page_models() == [DisclosureIndexPage]


def test_village_service_builds_the_subtree(village_page):
    portal = village_page.get_parent().specific
    assert isinstance(portal, PortalPage)
    assert portal.area == village_page.village.area
    slugs = [p.slug for p in village_page.get_children().live()]
    assert slugs == ["notices", "village-affairs", "party-affairs", "finances"]
    assert all(p.live for p in village_page.get_descendants())


def test_can_create_where_the_tree_allows(village_page):
    notices = child(village_page, "notices")
    finances = child(village_page, "finances")
    assert NoticePage.can_create_at(notices)
    assert not NoticePage.can_create_at(finances)
    assert FinanceReportPage.can_create_at(finances)
    assert not FinanceReportPage.can_create_at(notices)
    # one notice board per village
    assert not NoticeIndexPage.can_create_at(village_page)
    assert DisclosureIndexPage.can_create_at(village_page)
    assert not VillagePage.can_create_at(village_page)


def test_a_second_section_of_the_same_kind_is_refused(village_page):
    from django.core.exceptions import ValidationError

    extra = DisclosureIndexPage(
        title="又一个财务公开", slug="finances-2", section="finance"
    )
    village_page.add_child(instance=extra)
    with pytest.raises(ValidationError):
        extra.full_clean()


def test_setup_is_idempotent(site_village):
    from cms_home.provisioning import village_site_setup

    before = Page.objects.count()
    village_site_setup(village=site_village)
    assert Page.objects.count() == before


def test_village_create_service_sets_everything_up(db):
    from cms_home.models import VillageCms
    from tests.factories import AreaFactory
    from villages.services import village_create

    village = village_create(area=AreaFactory(), name="新村", slug="xincun")
    assert VillagePage.objects.get(village=village).live
    cms = VillageCms.objects.get(village=village)
    assert cms.workflow.workflow_pages.filter(
        page__villagepage__village=village
    ).exists()

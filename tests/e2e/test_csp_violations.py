"""The Content-Security-Policy holds in a real browser: the public site and our
apps' pages log no violation under the strict policy, and the Wagtail admin works
under its own, narrower one."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

import pytest

from config.security import policy_header
from deliberation.services.comments import comment_add
from points.services.ledger import ledger_record_deed
from tests.cms_home.fixtures import *  # noqa: F403
from tests.deliberation.factories import TopicFactory
from tests.shop.factories import ProductFactory, ShopFactory


@pytest.fixture(autouse=True)
def wagtail_root(transactional_db):
    """A browser test before this one may have flushed the database, and with it
    what Wagtail's migrations made (the root page and collection)."""
    from wagtail.models import Collection, Locale, Page, Site

    if not Page.objects.filter(depth=1).exists():
        Locale.objects.get_or_create(language_code="zh-hans")
        root = Page.add_root(instance=Page(title="Root", slug="root"))
        Site.objects.create(hostname="localhost", root_page=root, is_default_site=True)
    if not Collection.objects.exists():
        Collection.add_root(name="Root")


def watch(page) -> list[str]:
    """Every CSP violation the page meets, as the browser words it."""
    seen: list[str] = []
    page.on(
        "console",
        lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " console.error('Content Security Policy: ' + e.violatedDirective + ' '"
        " + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber); });"
    )
    return seen


def visit(page, seen: list[str], url: str) -> str:
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    assert response.status == 200, url
    assert seen == [], (url, seen)
    return response.headers["content-security-policy"]


def test_public_and_app_pages_log_no_violation(
    journey,
    village,
    household,
    household_rep,
    committee,
    shopkeeper,
    make_notice,
    make_report,
    village_page,
):
    notice = make_notice(title="村民投票通知", summary="本周六开会")
    report = make_report()
    topic = TopicFactory(village=village, created_by=committee)
    # The author's own comment shows its edit link through the nonce'd <style>.
    comment_add(topic=topic, by=household_rep, body="同意先修主路。")
    shop = ShopFactory(village=village, name="村口超市", slug="cunkou")
    shop.shopkeepers.add(shopkeeper)
    ProductFactory(shop=shop, name="食用油", points=30, stock=10)
    ledger_record_deed(
        household=household, points=100, effective_on=dt.date.today(), key="seed"
    )

    villager = journey.phone(user=household_rep)
    seen = watch(villager)
    v = f"/v/{village.slug}"
    for url in [
        "/",
        village_page.url,
        notice.url,
        notice.url + "print/",
        notice.url + "poster/",
        report.url,
        f"{v}/deliberation/",
        f"{v}/deliberation/t/{topic.pk}/",
        f"{v}/shop/",
        f"{v}/shop/{shop.slug}/",
        f"{v}/points/",
        f"{v}/reports/new/",
        "/me/",
    ]:
        policy = visit(villager, seen, url)
        assert "'unsafe-inline'" not in policy, url
    visit(villager, seen, f"{v}/deliberation/t/{topic.pk}/")
    assert villager.is_visible(".comment .own"), "the nonce'd style did not apply"

    counter = journey.phone(user=shopkeeper)
    seen = watch(counter)
    policy = visit(counter, seen, f"{v}/shop/{shop.slug}/counter/")
    assert "worker-src 'self' blob:" in policy
    counter.wait_for_selector("#scanner:not([hidden])")

    anonymous = journey.phone()
    seen = watch(anonymous)
    visit(anonymous, seen, "/accounts/login/")
    visit(anonymous, seen, notice.url)


def test_wagtail_admin_works_under_its_policy(
    journey, admin_user, make_notice, village_page
):
    notice = make_notice(title="村民投票通知", summary="本周六开会")
    page = journey.phone(user=admin_user)
    page.set_viewport_size({"width": 1280, "height": 900})
    seen = watch(page)
    for url in [
        "/cms/",
        f"/cms/pages/{village_page.pk}/",
        f"/cms/pages/{notice.pk}/edit/",
        "/cms/images/",
        "/cms/documents/",
        "/cms/images/multiple/add/",
        "/cms/users/",
        "/django-admin/",
        "/django-admin/deliberation/deliberationsettings/add/",
    ]:
        policy = visit(page, seen, url)
        area = settings.CSP_ADMIN if url.startswith("/cms/") else settings.CSP_DEFAULT
        assert policy == policy_header(area), url
    # The editor's StreamField and the live preview panel work.
    page.goto(f"/cms/pages/{notice.pk}/edit/")
    page.wait_for_selector("[data-side-panel-toggle='preview']")
    page.click("[data-side-panel-toggle='preview']")
    heading = page.frame_locator("#w-preview-iframe").locator("h1")
    heading.wait_for(state="attached")
    assert "村民投票通知" in heading.text_content(), seen
    assert seen == []

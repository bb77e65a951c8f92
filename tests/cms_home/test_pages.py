"""The public pages a villager opens: they render, work without JavaScript, stay
small, and cost a fixed number of queries however much is published."""

import gzip

from django.contrib.staticfiles import finders

import pytest

from tests.cms_home.fixtures import child


def _weight(html: bytes) -> int:
    with open(finders.find("css/site.css"), "rb") as f:
        css = f.read()
    return len(gzip.compress(html)) + len(gzip.compress(css))


def test_portal_lists_villages_with_latest_notices(
    client, village_page, other_village_page, make_notice, django_assert_max_num_queries
):
    for i in range(5):
        make_notice(title=f"通知{i}")
    with django_assert_max_num_queries(8):
        response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "柳溪村" in page and "桃园村" in page
    assert "通知4" in page and "通知2" in page
    assert "通知1" not in page  # three per village
    assert "<script" not in page


@pytest.fixture
def default_slots():
    """Only the "not yet" slots: the apps that fill slots pin their own queries."""
    from cms_home import slots

    saved = dict(slots._slots)
    slots._slots.clear()
    slots.register_defaults()
    yield
    slots._slots.clear()
    slots._slots.update(saved)


def test_village_home_shows_notices_sections_and_not_yet_slots(
    client,
    village_page,
    make_notice,
    make_report,
    default_slots,
    django_assert_max_num_queries,
):
    make_notice(title="村民投票通知")
    make_report()
    with django_assert_max_num_queries(12) as queries:
        response = client.get(village_page.url)
    page = response.content.decode()
    assert response.status_code == 200, page
    assert "村民投票通知" in page
    assert "2026年10月财务收支公开" in page
    for slot in ("slot-votes", "slot-red_list", "slot-shop"):
        assert f'id="{slot}"' in page
    assert "<script" not in page
    assert _weight(response.content) < 40 * 1024
    fixed = len(queries)
    for i in range(10):
        make_notice(title=f"更多通知{i}")
        make_report(month=1 + i % 9)
    with django_assert_max_num_queries(fixed):
        client.get(village_page.url)


def test_a_registered_slot_replaces_not_yet(client, village_page):
    from cms_home import slots

    saved = dict(slots._slots)
    try:
        slots.register_home_slot(
            slots.HomeSlot(
                key="votes",
                title="Votes",
                template="cms_home/slots/not_yet.html",
                description="两个投票进行中",
            )
        )
        slots.register_defaults()  # defaults never replace an app's slot
        page = client.get(village_page.url).content.decode()
        assert "两个投票进行中" in page
    finally:
        slots._slots.clear()
        slots._slots.update(saved)


def test_notice_page_renders_within_budget(
    client, make_notice, django_assert_max_num_queries
):
    notice = make_notice(title="关于召开村民代表会议的通知", summary="11月28日开会")
    # Wagtail's routing costs two queries per tree level; ours add two.
    with django_assert_max_num_queries(12):
        response = client.get(notice.url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "11月28日开会" in page
    assert _weight(response.content) < 40 * 1024


def test_index_pages_render(client, village_page, make_notice, make_report):
    make_notice(title="停水通知")
    make_report()
    notices = client.get(child(village_page, "notices").url).content.decode()
    finances = client.get(child(village_page, "finances").url).content.decode()
    assert "停水通知" in notices
    assert "2026年10月财务收支公开" in finances


def test_unknown_child_is_404(client, village_page):
    assert client.get(village_page.url + "notices/nothing-here/").status_code == 404


def test_portal_fallback_before_any_page_exists(client, village, other_village):
    page = client.get("/").content.decode()
    assert village.name in page and other_village.name in page

"""Print view, QR poster and Chinese search."""

import pytest


def test_print_view_is_a4_black_and_white_with_village_and_date(client, make_notice):
    notice = make_notice(title="关于召开村民代表会议的通知", summary="11月28日开会")
    response = client.get(f"{notice.url}print/")
    page = response.content.decode()
    assert response.status_code == 200
    # The print styles are a static file (the CSP allows no inline <style>).
    assert "css/print.css" in page
    from pathlib import Path

    from django.contrib.staticfiles import finders

    styles = Path(finders.find("css/print.css")).read_text(encoding="utf-8")
    assert "size: A4" in styles and "#000" in styles
    assert "柳溪村" in page and "关于召开村民代表会议的通知" in page
    assert notice.first_published_at.strftime("%Y") in page
    assert "<script" not in page
    assert "http://testserver" + notice.url in page


def test_poster_has_a_qr_code_leading_back(client, make_notice):
    notice = make_notice(title="村民投票通知", summary="请户代表投票")
    response = client.get(f"{notice.url}poster/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and "<path" in page
    assert "请户代表投票" in page and "柳溪村" in page


def test_finance_report_has_print_and_poster(client, make_report):
    report = make_report()
    assert "50,000.00" in client.get(f"{report.url}print/").content.decode()
    assert client.get(f"{report.url}poster/").status_code == 200


def test_qr_svg_encodes_the_url():
    from cms_home.qr import qr_svg

    svg = qr_svg("https://example.org/liuxi/notices/vote/")
    assert svg.startswith("<svg") and "mm" not in svg.split(">", 1)[0]


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("投票", "村民投票通知"),
        ("道路", "关于村道路硬化的公示"),
        ("硬化 道路", "关于村道路硬化的公示"),
    ],
)
def test_chinese_search_finds_pages_by_words(
    client, village_page, make_notice, query, title
):
    from disclosure.models import DisclosurePage
    from tests.cms_home.fixtures import child, publish

    make_notice(title="村民投票通知", slug="vote")
    make_notice(title="停水通知", slug="water")
    publish(
        child(village_page, "village-affairs"),
        DisclosurePage(title="关于村道路硬化的公示", slug="road", summary="公示期7天"),
    )
    page = client.get(f"{village_page.url}search/", {"q": query}).content.decode()
    assert title in page
    assert "停水通知" not in page


def test_search_stays_inside_the_village(client, village_page, other_village_page):
    from notices.models import NoticePage
    from tests.cms_home.fixtures import child, publish

    publish(
        child(other_village_page, "notices"),
        NoticePage(title="桃园村投票通知", slug="v"),
    )
    page = client.get(f"{village_page.url}search/", {"q": "投票"}).content.decode()
    assert "桃园村投票通知" not in page


def test_search_ignores_empty_and_junk_queries(client, village_page):
    for q in ["", "   ", "!!!", "x" * 500, "' OR 1=1 --"]:
        assert client.get(f"{village_page.url}search/", {"q": q}).status_code == 200

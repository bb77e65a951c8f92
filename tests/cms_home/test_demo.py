"""The demo township has its disclosure site, and seeding twice changes nothing."""

from django.core.management import call_command

from cms_home.models import PublishedVersion, VillagePage
from cms_home.search import search_pages
from disclosure.models import FinanceReportPage
from notices.models import NoticePage


def test_seed_demo_builds_the_site_once(db, client):
    call_command("seed_demo")
    pages = NoticePage.objects.count()
    versions = PublishedVersion.objects.count()
    call_command("seed_demo")
    assert NoticePage.objects.count() == pages >= 4
    assert PublishedVersion.objects.count() == versions
    assert VillagePage.objects.count() == 2
    assert FinanceReportPage.objects.filter(live=True).count() == 2
    liuxi = VillagePage.objects.get(village__slug="liuxi")
    assert [p.title for p in search_pages(query="投票", within=liuxi)] == [
        "村民投票通知"
    ]
    home = client.get("/")
    assert home.status_code == 200 and "柳溪村" in home.content.decode()
    village = client.get(liuxi.url).content.decode()
    assert "关于村道路硬化的公示" in village and "通知公告" in village

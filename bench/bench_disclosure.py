"""Server time of the disclosure site's public pages, against the floor.

    .venv/bin/python bench/bench_disclosure.py [REPEATS]

Prints the median server time (in-process, the whole Django and Wagtail stack) of
the village home page and of a finance report with 200 rows, each beside the median
time of an empty Django view measured in the same run (the floor), and the page
weights (HTML + CSS, gzip). Target: within 4x of the floor, under 40 KB.

Uses a throwaway SQLite file unless DATABASE_URL is set (then that database: use a
scratch one, the script adds a village to it).
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import statistics
import sys
import tempfile
import time
import types
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "site"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
_tmp = tempfile.TemporaryDirectory(prefix="bench-disclosure-")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402

from _report import note, record  # noqa: E402

REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
ROWS = 200


def _empty(request):
    return HttpResponse("")


def _install_floor_view() -> None:
    from config import urls

    module = types.ModuleType("bench_disclosure_urls")
    module.urlpatterns = [path("__empty__/", _empty), *urls.urlpatterns]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()


def _build():
    from wagtail.models import Page

    from cms_home.models import VillagePage
    from disclosure.models import FinanceReportPage, FinanceRow
    from notices.models import NoticeIndexPage, NoticePage
    from tests.factories import AreaFactory
    from villages.services import village_create

    stamp = int(time.time())
    village = village_create(
        area=AreaFactory(), name=f"基准村{stamp}", slug=f"bench-{stamp}"
    )
    home = VillagePage.objects.get(village=village)
    notices = NoticeIndexPage.objects.child_of(home).get()
    for i in range(30):
        notice = NoticePage(
            title=f"第{i}号通知：关于村道路硬化的公示",
            slug=f"n{i}",
            summary="公示期7天",
        )
        notices.add_child(instance=notice)
        notice.save_revision().publish()
    finances = Page.objects.child_of(home).get(slug="finances")
    start = dt.date(2026, 10, 1)
    report = FinanceReportPage(
        title="2026年10月财务收支公开",
        slug="finance-2026-10",
        period_start=start,
        period_end=dt.date(2026, 10, 31),
        fund="村集体经济组织",
        opening_balance=Decimal("182340.00"),
    )
    report.rows = [
        FinanceRow(
            direction="income" if i % 4 == 0 else "expenditure",
            date=start + dt.timedelta(days=i % 31),
            category=f"类别{i % 9}",
            counterparty=f"对方单位{i}",
            amount=Decimal(f"{100 + i * 7}.{i % 100:02d}"),
            voucher_no=f"记-{i:03d}",
        )
        for i in range(ROWS)
    ]
    finances.add_child(instance=report)
    report.save_revision().publish()
    return home.url, report.url


def _median_ms(client: Client, url: str) -> tuple[float, bytes]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    for _ in range(5):
        client.get(url)
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, response.content


def main() -> None:
    call_command("migrate", verbosity=0)
    _install_floor_view()
    home_url, report_url = _build()
    client = Client()
    with open(finders.find("css/site.css"), "rb") as f:
        css_gz = len(gzip.compress(f.read()))
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"repeats: {REPEATS} (median)")
    note("database", settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1])
    pages = [
        ("village home page", home_url),
        (f"finance report, {ROWS} rows", report_url),
    ]
    for mode, seconds in [("anonymous (page cache)", 120), ("rendered (no cache)", 0)]:
        settings.CMS_PAGE_CACHE_SECONDS = seconds
        print(f"-- {mode}")
        short = "cached" if seconds else "rendered"
        for label, url in pages:
            floor, _ = _median_ms(client, "/__empty__/")
            page, html = _median_ms(client, url)
            html_gz = len(gzip.compress(html))
            record(f"{label}, {short}", page, "ms")
            # The target is for what anonymous readers get (the cached page).
            record(
                f"{label}, {short} / empty view ({floor:.2f} ms)",
                page / floor,
                "×",
                target=4 if seconds else None,
                compare="<=" if seconds else None,
            )
            if seconds:
                record(
                    f"{label}: weight, HTML + CSS gzip (no JS)",
                    (html_gz + css_gz) / 1024,
                    "KB",
                    target=40,
                    compare="<",
                )
            print(
                f"{label:28} {page:7.2f} ms   floor {floor:5.2f} ms   "
                f"x{page / floor:5.1f}   weight {(html_gz + css_gz) / 1024:4.1f} KB "
                f"gzip (HTML {html_gz / 1024:.1f} + CSS {css_gz / 1024:.1f}; no JS)"
            )


if __name__ == "__main__":
    main()

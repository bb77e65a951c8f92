"""Server time of the committee's report queue with many reports, against the floor.

    .venv/bin/python bench/bench_reports.py [REPORTS] [REPEATS]

Prints the median server time (in-process, the whole Django stack) of the queue
page (open reports, first page, with the per-kind/grid counts and the overdue list)
and of the public list, in a village holding REPORTS reports (default 10,000), each
beside the median time of an empty Django view measured in the same run (the
floor), and the monthly figures page for the year.

Uses a throwaway SQLite file unless DATABASE_URL is set (then that database: use a
scratch one, the script adds a village to it). Works whether or not the reports
app is wired into the settings yet.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "site"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
_tmp = tempfile.TemporaryDirectory(prefix="bench-reports-")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}/bench.sqlite3"
os.environ.setdefault("PRIVATE_ROOT", f"{_tmp.name}/private")

# The test settings, with the reports app added when they do not have it yet.
_settings = types.ModuleType("bench_reports_settings")
exec("from config.settings.test import *", _settings.__dict__)  # noqa: S102
if "reports" not in _settings.INSTALLED_APPS:
    _settings.INSTALLED_APPS = ["reports", *_settings.INSTALLED_APPS]
sys.modules[_settings.__name__] = _settings
os.environ["DJANGO_SETTINGS_MODULE"] = _settings.__name__

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import clear_url_caches, include, path  # noqa: E402
from django.utils import timezone  # noqa: E402

from _report import note, record  # noqa: E402

REPORTS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
REPEATS = int(sys.argv[2]) if len(sys.argv) > 2 else 100


def _empty(request):
    return HttpResponse("")


def _install_urls() -> None:
    from config import urls

    patterns = [path("__empty__/", _empty)]
    if not any("reports" in str(p.pattern) for p in urls.urlpatterns):
        patterns.append(path("v/<slug:village>/reports/", include("reports.urls")))
    module = types.ModuleType("bench_reports_urls")
    module.urlpatterns = [*patterns, *urls.urlpatterns]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()


def _build():
    from reports.models import Kind, MeToo, Report, ReportEvent, Status
    from tests.factories import (
        AreaFactory,
        GridFactory,
        MembershipFactory,
        VillageFactory,
    )

    stamp = int(time.time())
    village = VillageFactory(
        area=AreaFactory(), name=f"基准村{stamp}", slug=f"bench-{stamp}"
    )
    grids = [GridFactory(village=village, name=f"第{i}网格") for i in range(6)]
    committee = MembershipFactory(village=village, is_committee=True).user
    workers = [
        MembershipFactory(village=village, grid=g, is_grid_worker=True).user
        for g in grids
    ]
    residents = [MembershipFactory(village=village).user for _ in range(50)]
    now = timezone.now()
    kinds = Kind.values
    statuses = [Status.FILED, Status.ASSIGNED, Status.IN_PROGRESS, Status.RATED]
    reports = []
    for i in range(REPORTS):
        status = statuses[i % 4]
        filed = now - dt.timedelta(hours=REPORTS - i)
        handled = status != Status.FILED
        reports.append(
            Report(
                village=village,
                number=f"{filed.year}-{i + 1:05d}",
                kind=kinds[i % len(kinds)],
                text=f"第{i}件：村道路灯不亮，晚上出行不便，请尽快处理。",
                place="村东头",
                is_public=i % 3 == 0,
                filer=residents[i % len(residents)],
                grid=grids[i % len(grids)],
                status=status,
                filed_at=filed,
                assignee=workers[i % len(workers)] if handled else None,
                due_on=(filed + dt.timedelta(days=7)).date() if handled else None,
                closed_at=filed + dt.timedelta(days=3)
                if status == Status.RATED
                else None,
                answer="已处理" if status == Status.RATED else "",
                rating="satisfied" if status == Status.RATED else "",
            )
        )
    reports = Report.objects.bulk_create(reports, batch_size=2000)
    events = []
    for r in reports:
        events.append(ReportEvent(report=r, kind="filed", at=r.filed_at))
        if r.assignee_id:
            events.append(
                ReportEvent(report=r, kind="assigned", at=r.filed_at, due_on=r.due_on)
            )
        if r.closed_at:
            events.append(ReportEvent(report=r, kind="closed", at=r.closed_at))
            events.append(
                ReportEvent(report=r, kind="rated", at=r.closed_at, rating="satisfied")
            )
    ReportEvent.objects.bulk_create(events, batch_size=5000)
    MeToo.objects.bulk_create(
        [
            MeToo(report=r, user=residents[(j + 7) % len(residents)])
            for r in reports[::3]
            for j in range(3)
        ],
        batch_size=5000,
    )
    # A live database keeps its planner statistics fresh (autovacuum); a table
    # filled a second ago has none yet.
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Report, ReportEvent, MeToo):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return village, committee


def _median_ms(client: Client, url: str) -> float:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    for _ in range(3):
        client.get(url)
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    call_command("migrate", verbosity=0)
    _install_urls()
    started = time.perf_counter()
    village, committee = _build()
    built = time.perf_counter() - started
    client = Client()
    client.force_login(committee)
    base = f"/v/{village.slug}/reports/"
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"reports: {REPORTS} (built in {built:.1f} s); repeats: {REPEATS} (median)")
    note("database", settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1])
    for label, url in [
        ("queue, open reports", f"{base}queue/"),
        ("queue, overdue only", f"{base}queue/?overdue=1"),
        ("public list", base),
        ("monthly figures", f"{base}figures/"),
    ]:
        floor = _median_ms(client, "/__empty__/")
        page = _median_ms(client, url)
        print(
            f"{label:22} {page:8.2f} ms   empty view {floor:5.2f} ms   "
            f"x{page / floor:6.1f}"
        )
        record(f"reports ({REPORTS:,}): {label}", page, "ms")
        record(
            f"reports ({REPORTS:,}): {label} / empty view ({floor:.2f} ms)",
            page / floor,
            "×",
        )


if __name__ == "__main__":
    main()

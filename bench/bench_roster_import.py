"""Time a 5,000-row roster: check, import, and import again (which must write nothing).

    .venv/bin/python bench/bench_roster_import.py [ROWS]

Uses a throwaway SQLite file unless DATABASE_URL is set (then that database: use a
scratch one, the script adds a village to it).
"""

from __future__ import annotations

import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "site"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
_tmp = tempfile.TemporaryDirectory(prefix="bench-roster-")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

import openpyxl  # noqa: E402
from _report import note, record  # noqa: E402

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
GRIDS = ["第一网格", "第二网格", "第三网格", "第四网格", "第五网格"]
RELATIONS = ["户主", "配偶", "子女", "父母", "孙子女"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def make_workbook(rows: int) -> bytes:
    rng = random.Random(7)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(["姓名", "手机号", "户号", "与户主关系", "出生年份", "网格", "角色"])
    i = 0
    household = 0
    while i < rows:
        household += 1
        grid = GRIDS[household % len(GRIDS)]
        for member, relation in enumerate(RELATIONS[: rng.randint(1, 5)]):
            if i >= rows:
                break
            roles = "村民、户代表" if member == 0 else "村民"
            if i % 250 == 0:
                roles += "、网格员"
            sheet.append(
                [
                    rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                    f"139{i:08d}" if i % 3 else f"139 {i // 10000:04d} {i % 10000:04d}",
                    f"BH-{household:05d}",
                    relation,
                    rng.randint(1940, 2015),
                    grid,
                    roles,
                ]
            )
            i += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> None:
    settings.MEDIA_ROOT = Path(_tmp.name) / "media"
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(
        f"database: {connection.vendor}, migrated in {time.perf_counter() - started:.1f}s"
    )
    note("database", connection.vendor)

    from roster.models import RosterImport
    from roster.services import (
        roster_export,
        roster_import_create,
        roster_import_run,
    )
    from tests.factories import GridFactory, MembershipFactory, VillageFactory

    village = VillageFactory(name=f"基准村{os.getpid()}", slug=f"bench-{os.getpid()}")
    for name in GRIDS:
        GridFactory(village=village, name=name)
    committee = MembershipFactory(village=village, is_committee=True).user

    started = time.perf_counter()
    content = make_workbook(ROWS)
    print(
        f"workbook: {ROWS} rows, {len(content) / 1024:.0f} KiB, built in {time.perf_counter() - started:.2f}s"
    )

    def run(label: str) -> RosterImport:
        upload = SimpleUploadedFile("roster.xlsx", content)
        t0 = time.perf_counter()
        roster_import = roster_import_create(
            village=village, by=committee, upload=upload
        )
        t1 = time.perf_counter()
        assert roster_import.status == RosterImport.Status.VALIDATED, (
            roster_import.errors[:5]
        )
        RosterImport.objects.filter(pk=roster_import.pk).update(
            status=RosterImport.Status.QUEUED, confirmed_by=committee
        )
        roster_import_run(import_id=roster_import.pk)
        t2 = time.perf_counter()
        roster_import.refresh_from_db()
        assert roster_import.status == RosterImport.Status.DONE, roster_import.errors
        print(
            f"{label}: check {t1 - t0:.2f}s, import {t2 - t1:.2f}s, "
            f"total {t2 - t0:.2f}s; summary {roster_import.summary}"
        )
        return roster_import, t1 - t0, t2 - t1

    first, check, imported = run("first import")
    record(f"roster of {ROWS:,} rows: check", check, "s")
    record(f"roster of {ROWS:,} rows: import", imported, "s")
    record(
        f"roster of {ROWS:,} rows: check + import",
        check + imported,
        "s",
        target=30,
        compare="<",
    )
    again, check, imported = run("re-import  ")
    record("the same file imported again", check + imported, "s")
    record(
        "people changed by the re-import",
        again.summary["created"] + again.summary["updated"],
        target=0,
        compare="==",
    )
    assert again.summary["created"] == again.summary["updated"] == 0

    started = time.perf_counter()
    exported = roster_export(village=village, by=committee)
    took = time.perf_counter() - started
    print(f"export: {len(exported) / 1024:.0f} KiB in {took:.2f}s")
    record(f"roster export, {ROWS:,} rows", took, "s")
    if first.summary["created"] != ROWS:
        sys.exit(f"expected {ROWS} people created, got {first.summary}")


if __name__ == "__main__":
    try:
        main()
    finally:
        _tmp.cleanup()

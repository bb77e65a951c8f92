"""What reading an uploaded workbook costs a worker: time, traced peak memory and
growth of the process (RSS), each case in a fresh process.

    .venv/bin/python bench/bench_spreadsheet_uploads.py

Cases: the largest roster (20,000 rows), the same with every household number
merged over its members, a roster as wide as the sheet cap lets through, the
shared strings at their cap, a sheet of as many empty cells as the tag cap lets
through, and zip bombs (refused from the directory).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "site", ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

MB = 1024 * 1024
CASES = ["roster", "merged", "wide", "tags", "strings", "bomb", "ratio_bomb"]


def make(case: str) -> bytes:
    import openpyxl

    from spreadsheets import uploads
    from tests.spreadsheets.test_uploads import (
        MAIN,
        _bomb,
        _roster_bytes,
        _sheet,
        _xlsx,
    )

    if case == "roster":
        return _roster_bytes(20_000)
    if case == "merged":
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(
            ["姓名", "手机号", "户号", "与户主关系", "出生年份", "网格", "角色"]
        )
        for i in range(20_000):
            first = i % 4 == 0
            sheet.append(
                [
                    f"村民{i}",
                    f"139{i:08d}",
                    f"H{i // 4}" if first else None,
                    "户主",
                    1970,
                    "第一网格" if first else None,
                    "村民",
                ]
            )
        for start in range(2, 20_002, 4):
            sheet.merge_cells(f"C{start}:C{start + 3}")
            sheet.merge_cells(f"F{start}:F{start + 3}")
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    if case == "wide":
        # 20,000 rows with as many extra columns as the sheet cap allows.
        return _roster_bytes(20_000, extra_columns=13)
    if case == "tags":
        # As many tags as the cap lets through, each as small as can be (`<c/>`).
        header = (
            '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>手机号</t></is></c></row>'
        )
        rows = "".join(
            f'<row r="{i}">' + "<c/>" * 99 + "</row>"
            for i in range(2, uploads.MAX_SHEET_TAGS // 100)
        )
        return _xlsx(_sheet(header + rows))
    if case == "strings":
        strings = (
            f"<sst {MAIN}>"
            + "".join(
                f"<si><t>{i:x}</t></si>" for i in range(uploads.MAX_SHARED_STRINGS)
            )
            + "</sst>"
        )
        return _xlsx(_sheet(""), strings)
    if case == "bomb":
        return _bomb("xl/worksheets/sheet1.xml", 1024 * MB)
    if case == "ratio_bomb":
        return _bomb("xl/worksheets/sheet1.xml", 24 * MB)
    raise ValueError(case)


def measure(case: str) -> dict:
    import django

    django.setup()
    import zipfile

    from roster.reading import RosterFileError, read_roster

    content = make(case)
    members = zipfile.ZipFile(io.BytesIO(content)).infolist()
    unpacked = sum(m.file_size for m in members)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        outcome = f"{len(read_roster(io.BytesIO(content)).rows)} rows"
    except RosterFileError as error:
        outcome = f"refused: {error.code}"
    took = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    tracemalloc.start()
    with contextlib.suppress(RosterFileError):
        read_roster(io.BytesIO(content))
    peak = tracemalloc.get_traced_memory()[1] / MB
    tracemalloc.stop()
    return {
        "case": case,
        "upload_kb": round(len(content) / 1024),
        "unpacked_mb": round(unpacked / MB, 1),
        "outcome": outcome,
        "seconds": round(took, 2),
        "rss_growth_mb": round(grown, 1),
        "traced_peak_mb": round(peak, 1),
    }


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--case":
        print(json.dumps(measure(sys.argv[2])))
        return
    from _report import note, record

    note("load", " ".join(f"{x:.1f}" for x in os.getloadavg()))
    for case in CASES:
        out = subprocess.run(  # noqa: S603 (this script, this interpreter)
            [sys.executable, __file__, "--case", case],
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{case:>11}: {result['upload_kb']:>6} KB upload, "
            f"{result['unpacked_mb']:>7} MB unpacked → {result['outcome']:<22} "
            f"{result['seconds']:>5} s, RSS +{result['rss_growth_mb']} MB, "
            f"traced peak {result['traced_peak_mb']} MB"
        )
        record(f"upload {case}: read", result["seconds"], "s")
        record(
            f"upload {case}: RSS growth",
            result["rss_growth_mb"],
            "MB",
            target=50,
            compare="<",
        )


if __name__ == "__main__":
    main()

"""Print every benchmark's recorded figures (bench/results/*.json) as one table.

    .venv/bin/python bench/summary.py [--ran "a b"] [--failed "c"]

``make bench`` calls it last. ``--ran`` names the scripts of this run (the others'
figures are older and marked so); ``--failed`` those that exited with an error.
The exit status is 0 even when a figure falls short: the table says so.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import RESULTS, passes

SYMBOL = {"<": "<", "<=": "≤", ">": ">", ">=": "≥", "==": "="}


def number(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def with_unit(value: str, unit: str) -> str:
    if not unit:
        return value
    return f"{value}{unit}" if unit in ("%", "×") else f"{value} {unit}"


def rows_of(data: dict) -> list[tuple[str, str, str, str]]:
    rows = []
    for figure in data["figures"]:
        target = ""
        if figure.get("target") is not None:
            target = with_unit(
                f"{SYMBOL[figure['compare']]} {number(figure['target'])}",
                figure["unit"],
            )
        verdict = {True: "pass", False: "falls short", None: ""}[passes(figure)]
        name = figure["name"] + (f" ({figure['note']})" if figure.get("note") else "")
        rows.append(
            (name, target, with_unit(number(figure["value"]), figure["unit"]), verdict)
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ran", default="")
    parser.add_argument("--failed", default="")
    options = parser.parse_args()
    ran = set(options.ran.split())
    failed = set(options.failed.split())

    # Only the project's benchmarks: a results file left by some other script
    # (a copy made to profile) is not one of our figures.
    here = Path(__file__).resolve().parent
    found = {
        p.stem: p
        for p in sorted(RESULTS.glob("*.json"))
        if (here / f"{p.stem}.py").exists()
    }
    names = sorted(set(found) | ran | failed)
    if not names:
        print("No benchmark has recorded figures yet: run `make bench`.")
        return 0
    table: list[tuple[str, str, str, str]] = []
    headers = []
    for name in names:
        data = None
        if name in found:
            data = json.loads(found[name].read_text(encoding="utf-8"))
        stale = bool(ran) and name not in ran
        status = "FAILED" if name in failed else ("earlier run" if stale else "")
        if data is None:
            headers.append((len(table), f"{name}: no figures recorded", status))
            continue
        notes = "; ".join(f"{k} {v}" for k, v in data.get("notes", {}).items())
        load = data.get("loadavg") or []
        detail = (
            f"{name}: {data['finished_at']}, load {load[0]:.1f} on "
            f"{data.get('cores')} cores" + (f"; {notes}" if notes else "")
        )
        headers.append((len(table), detail, status))
        table.extend(rows_of(data))

    titles = ("figure", "target", "measured", "")
    widths = [
        max([len(titles[i])] + [len(r[i]) for r in table]) for i in range(len(titles))
    ]
    widths[0] = min(widths[0], 70)

    def line(cells) -> str:
        name = (
            cells[0] if len(cells[0]) <= widths[0] else cells[0][: widths[0] - 1] + "…"
        )
        return (
            f"  {name:<{widths[0]}}  {cells[1]:>{widths[1]}}  "
            f"{cells[2]:>{widths[2]}}  {cells[3]}"
        ).rstrip()

    print()
    print(line(titles))
    print("  " + "-" * (sum(widths) + 6))
    by_start: dict[int, list[tuple[str, str]]] = {}
    for start, detail, status in headers:
        by_start.setdefault(start, []).append((detail, status))
    for i in range(len(table) + 1):
        for detail, status in by_start.get(i, []):
            print(f"{detail}" + (f"  [{status}]" if status else ""))
        if i < len(table):
            print(line(table[i]))
    short = sum(1 for r in table if r[3] == "falls short")
    met = sum(1 for r in table if r[3] == "pass")
    print(
        f"\n{met} figures meet their target, {short} fall short"
        + (f"; failed: {', '.join(sorted(failed))}" if failed else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

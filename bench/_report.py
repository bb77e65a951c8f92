"""Where every benchmark records its figures, so that ``bench/summary.py`` can print
them all as one table.

    from _report import record

    record("village home, rendered / empty view", 70.2, "×", target=4, compare="<=")

Each figure is written at once to ``bench/results/<script>.json`` (not kept in git):
a benchmark that stops half-way still leaves what it measured. The first figure a
run records replaces what an earlier run of the same script left.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
COMPARISONS = ("<", "<=", ">", ">=", "==")

_figures: list[dict] = []
_notes: dict[str, str] = {}


def _path() -> Path:
    return RESULTS / f"{Path(sys.argv[0]).stem}.json"


def _write() -> None:
    RESULTS.mkdir(exist_ok=True)
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    data = {
        "script": Path(sys.argv[0]).name,
        "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "loadavg": [round(x, 2) for x in load],
        "cores": os.cpu_count(),
        "notes": _notes,
        "figures": _figures,
    }
    tmp = _path().with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(_path())


def note(key: str, value: str) -> None:
    """A fact about the run that is not a figure (database, server, load)."""
    _notes[key] = str(value)
    _write()


def record(
    name: str,
    value: float,
    unit: str = "",
    *,
    target: float | None = None,
    compare: str | None = None,
    note: str = "",
) -> None:
    """One measured figure. With a target, ``compare`` says how the value must
    stand against it (``value <= target`` passes for "<=")."""
    if (target is None) != (compare is None):
        raise ValueError("give both target and compare, or neither")
    if compare is not None and compare not in COMPARISONS:
        raise ValueError(f"compare must be one of {COMPARISONS}")
    _figures.append(
        {
            "name": name,
            "value": float(value),
            "unit": unit,
            "target": None if target is None else float(target),
            "compare": compare,
            "note": note,
        }
    )
    _write()


def passes(figure: dict) -> bool | None:
    """True or False against the target; None when the figure has none."""
    target, value = figure.get("target"), figure["value"]
    compare = figure.get("compare")
    if target is None or compare is None:
        return None
    return {
        "<": value < target,
        "<=": value <= target,
        ">": value > target,
        ">=": value >= target,
        "==": value == target,
    }[compare]

"""Charts as small server-rendered SVG: no JavaScript, readable at 360 px."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

INK = "#1f2933"
MUTED = "#6b7280"
GREEN = "#1b7f4b"
RED = "#b42318"
HIGHLIGHT = "#f2b705"


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="chart">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def monthly_bars(values: list[int], labels: list[str], title: str) -> SafeString:
    """One bar per month; gains above the line in green, losses below in red."""
    width, height, pad = 360, 180, 22
    top = max([abs(v) for v in values] + [1])
    has_negative = any(v < 0 for v in values)
    zero = pad + (height - 2 * pad) * (0.5 if has_negative else 1.0)
    scale = (zero - pad) / top
    slot = (width - 2 * pad) / max(len(values), 1)
    body = [
        f'<line x1="{pad}" y1="{zero:.1f}" x2="{width - pad}" y2="{zero:.1f}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    ]
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        x = pad + i * slot + slot * 0.15
        h = abs(value) * scale
        y = zero - h if value >= 0 else zero
        color = GREEN if value >= 0 else RED
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
            f'fill="{color}"><title>{escape(label)}: {value:+d}</title></rect>'
        )
        body.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{height - 4}" font-size="10" '
            f'text-anchor="middle" fill="{MUTED}">{escape(label)}</text>'
        )
        if value:
            ty = y - 3 if value >= 0 else y + h + 11
            body.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{ty:.1f}" font-size="10" '
                f'text-anchor="middle" fill="{INK}">{value:+d}</text>'
            )
    return _svg(width, height, title, body)


def distribution(
    scores: list[int], title: str, mine: int | None = None, buckets: int = 10
) -> SafeString:
    """How many households scored how much; the bar holding ``mine`` stands out."""
    width, height, pad = 360, 170, 22
    if not scores:
        scores = [0]
    low, high = min(scores), max(scores)
    span = max(high - low, 1)
    step = span / buckets
    counts = [0] * buckets
    for s in scores:
        counts[min(int((s - low) / step), buckets - 1)] += 1
    mine_bucket = (
        min(int((mine - low) / step), buckets - 1)
        if mine is not None and low <= mine <= high
        else None
    )
    top = max(counts)
    slot = (width - 2 * pad) / buckets
    body = []
    for i, count in enumerate(counts):
        h = (height - 2 * pad - 10) * count / top
        x = pad + i * slot
        color = HIGHLIGHT if i == mine_bucket else GREEN
        lo = round(low + i * step)
        hi = round(low + (i + 1) * step)
        body.append(
            f'<rect x="{x + 1:.1f}" y="{height - pad - h:.1f}" width="{slot - 2:.1f}" '
            f'height="{h:.1f}" fill="{color}"><title>{lo}–{hi}: {count}</title></rect>'
        )
        if count:
            body.append(
                f'<text x="{x + slot / 2:.1f}" y="{height - pad - h - 3:.1f}" '
                f'font-size="10" text-anchor="middle" fill="{INK}">{count}</text>'
            )
    body.append(
        f'<text x="{pad}" y="{height - 6}" font-size="10" fill="{MUTED}">{low}</text>'
        f'<text x="{width - pad}" y="{height - 6}" font-size="10" text-anchor="end" '
        f'fill="{MUTED}">{high}</text>'
    )
    return _svg(width, height, title, body)


def category_bars(rows: list[dict], title: str) -> SafeString:
    """Per category: points awarded (green, right) and deducted (red, left)."""
    width, row_h, label_w = 360, 28, 110
    height = max(len(rows), 1) * row_h + 10
    top = max([r["plus"] for r in rows] + [-r["minus"] for r in rows] + [1])
    mid = label_w + (width - label_w) / 2
    scale = (width - label_w) / 2 / top
    body = [
        f'<line x1="{mid:.1f}" y1="0" x2="{mid:.1f}" y2="{height}" stroke="{MUTED}"/>'
    ]
    for i, r in enumerate(rows):
        y = 5 + i * row_h
        name = escape(r["item__category__name"])
        body.append(
            f'<text x="0" y="{y + 16}" font-size="12" fill="{INK}">{name}</text>'
            f'<rect x="{mid:.1f}" y="{y + 4}" width="{r["plus"] * scale:.1f}" '
            f'height="16" fill="{GREEN}"><title>{name} +{r["plus"]}</title></rect>'
            f'<rect x="{mid + r["minus"] * scale:.1f}" y="{y + 4}" '
            f'width="{-r["minus"] * scale:.1f}" height="16" fill="{RED}">'
            f"<title>{name} {r['minus']}</title></rect>"
        )
    return _svg(width, height, title, body)

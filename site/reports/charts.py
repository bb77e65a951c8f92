"""The figures as small server-rendered SVG: no JavaScript, readable at 360 px."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

INK = "#1f2933"
MUTED = "#6b7280"
BLUE = "#2563eb"
GREEN = "#1b7f4b"


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="chart">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def paired_bars(
    first: list[int],
    second: list[int],
    labels: list[str],
    *,
    title: str,
    names: tuple[str, str],
) -> SafeString:
    """Two bars a month (received, closed), with a legend."""
    width, height, pad, legend = 360, 200, 22, 20
    top = max([*first, *second, 1])
    base = height - pad
    scale = (base - pad - legend) / top
    slot = (width - 2 * pad) / max(len(labels), 1)
    bar = slot * 0.36
    body = [
        f'<line x1="{pad}" y1="{base}" x2="{width - pad}" y2="{base}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    ]
    for i, (name, color) in enumerate(zip(names, (BLUE, GREEN), strict=True)):
        x = pad + i * 110
        body.append(
            f'<rect x="{x}" y="3" width="12" height="12" fill="{color}"/>'
            f'<text x="{x + 16}" y="14" font-size="13" fill="{INK}">{escape(name)}</text>'
        )
    for i, label in enumerate(labels):
        x0 = pad + i * slot + slot * 0.14
        for j, (value, color) in enumerate(((first[i], BLUE), (second[i], GREEN))):
            h = value * scale
            x = x0 + j * bar
            body.append(
                f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" fill="{color}"><title>{escape(label)} '
                f"{escape(names[j])}: {value}</title></rect>"
            )
        body.append(
            f'<text x="{x0 + bar:.1f}" y="{height - 6}" font-size="13" '
            f'text-anchor="middle" fill="{MUTED}">{escape(label)}</text>'
        )
    return _svg(width, height, title, body)


def rate_bars(
    rates: list[float | None], labels: list[str], *, title: str
) -> SafeString:
    """A percentage a month; months without a value show a dash."""
    width, height, pad = 360, 180, 22
    base = height - pad
    scale = (base - pad) / 100
    slot = (width - 2 * pad) / max(len(labels), 1)
    body = [
        f'<line x1="{pad}" y1="{base}" x2="{width - pad}" y2="{base}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    ]
    for i, (rate, label) in enumerate(zip(rates, labels, strict=True)):
        x = pad + i * slot + slot * 0.15
        cx = x + slot * 0.35
        if rate is None:
            body.append(
                f'<text x="{cx:.1f}" y="{base - 4}" font-size="13" '
                f'text-anchor="middle" fill="{MUTED}">–</text>'
            )
        else:
            h = rate * scale
            body.append(
                f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{slot * 0.7:.1f}" '
                f'height="{h:.1f}" fill="{GREEN}"><title>{escape(label)}: '
                f"{rate:g}%</title></rect>"
                f'<text x="{cx:.1f}" y="{base - h - 3:.1f}" font-size="12" '
                f'text-anchor="middle" fill="{INK}">{rate:.0f}</text>'
            )
        body.append(
            f'<text x="{cx:.1f}" y="{height - 6}" font-size="13" '
            f'text-anchor="middle" fill="{MUTED}">{escape(label)}</text>'
        )
    return _svg(width, height, title, body)

"""Vote results as a server-rendered SVG bar chart: no chart library, prints well."""

import unicodedata

from django import template
from django.utils.translation import ngettext

register = template.Library()

ROW = 44
WIDTH = 320
BAR_MAX = 220
FONT = 16  # the chart's font size, in its own units
LINE = 20  # one more line of a long option's label


def _em(char: str) -> float:
    """A character's width in ems: Chinese characters are square, Latin narrower."""
    return 1.0 if unicodedata.east_asian_width(char) in "WF" else 0.6


def label_lines(label: str, width: float = WIDTH / FONT) -> list[str]:
    """The label cut into lines that fit ``width`` ems: SVG text does not wrap,
    and a long option would be cut off at the chart's edge."""
    lines, line = [], ""
    for char in label:
        if line and sum(map(_em, line + char)) > width:
            cut = line.rfind(" ")
            if cut > 0 and char != " " and _em(char) < 1 and _em(line[-1]) < 1:
                lines.append(line[:cut])  # inside a Latin word: carry it over
                line = line[cut + 1 :]
            else:
                lines.append(line)
                line = ""
        if char == " " and not line:
            continue
        line += char
    lines.append(line)
    return [x.rstrip() for x in lines if x.strip()] or [""]


@register.inclusion_tag("deliberation/_chart.html")
def vote_chart(outcome, question=""):
    if outcome.withheld:
        # The chart says why it has no bars, in the words of the page.
        text = ngettext(
            "Too few ballots to publish without revealing how people voted: "
            "this secret vote shows its counts only from %(n)s ballot.",
            "Too few ballots to publish without revealing how people voted: "
            "this secret vote shows its counts only from %(n)s ballots.",
            outcome.min_ballots,
        ) % {"n": outcome.min_ballots}
        lines = label_lines(text)
        return {
            "rows": [],
            "notice": [
                {"text": line, "y": 14 + LINE * n} for n, line in enumerate(lines)
            ],
            "height": max(LINE * len(lines), ROW),
            "width": WIDTH,
            "question": question,
        }
    rows = []
    top = max((r.count for r in outcome.options), default=0)
    y = 0
    for result in outcome.options:
        lines = label_lines(str(result.option.display))
        extra = LINE * (len(lines) - 1)
        width = round(BAR_MAX * result.count / top) if top else 0
        rows.append(
            {
                "lines": [
                    {"text": text, "y": y + 14 + LINE * n}
                    for n, text in enumerate(lines)
                ],
                "count": result.count,
                "percent": round(result.percent),
                "bar_y": y + 20 + extra,
                "width": max(width, 1),
                "value_x": max(width, 1) + 6,
                "value_y": y + 33 + extra,
            }
        )
        y += ROW + extra
    return {
        "rows": rows,
        "height": max(y, ROW),
        "width": WIDTH,
        "question": question,
    }

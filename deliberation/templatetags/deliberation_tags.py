"""Vote results as a server-rendered SVG bar chart: no chart library, prints well."""

from django import template

register = template.Library()

ROW = 44
WIDTH = 320
BAR_MAX = 220


@register.inclusion_tag("deliberation/_chart.html")
def vote_chart(outcome, question=""):
    rows = []
    top = max((r.count for r in outcome.options), default=0)
    for i, result in enumerate(outcome.options):
        y = i * ROW
        width = round(BAR_MAX * result.count / top) if top else 0
        rows.append(
            {
                "label": result.option.display,
                "count": result.count,
                "percent": round(result.percent),
                "text_y": y + 14,
                "bar_y": y + 20,
                "width": max(width, 1),
                "value_x": max(width, 1) + 6,
                "value_y": y + 33,
            }
        )
    return {
        "rows": rows,
        "height": max(len(rows) * ROW, ROW),
        "width": WIDTH,
        "question": question,
    }

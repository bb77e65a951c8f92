"""The red list's card on the village's public home page (a cms_home slot)."""

from __future__ import annotations

from points.models import ListLine, RankingList


def red_list_slot(*, village, request) -> dict:
    """The latest published list's red lines, as published: two queries."""
    ranking = (
        RankingList.objects.filter(village=village, status=RankingList.Status.PUBLISHED)
        .order_by("-ends_on", "-pk")
        .first()
    )
    lines = []
    if ranking is not None:
        lines = list(
            ranking.lines.filter(color=ListLine.Color.RED)
            .exclude(review=ListLine.Review.REMOVED)
            .order_by("rank")
            .values("rank", "public_name")[:10]
        )
    return {"ranking": ranking, "lines": lines}

"""Reads for the portal and the village home page, each a fixed number of queries."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber, Substr

from wagtail.models import Page

from villages.models import Village

LATEST_ON_PORTAL = 3
LATEST_ON_HOME = 5
LATEST_PER_SECTION = 3


def _latest_per_branch(queryset, *, prefix_len: int, per_branch: int):
    """The newest ``per_branch`` pages of each subtree whose root path has
    ``prefix_len`` characters, in one query (a window over the tree path)."""
    branch = Substr("path", 1, prefix_len)
    return (
        queryset.annotate(
            branch=branch,
            rank=Window(
                RowNumber(),
                partition_by=[branch],
                order_by=[F("first_published_at").desc(), F("id").desc()],
            ),
        )
        .filter(rank__lte=per_branch)
        .order_by("branch", "rank")
    )


def portal_villages(*, area=None, portal: Page | None = None) -> list[dict]:
    """The villages of the area (and the areas inside it), each with its public page
    and latest notices. Three queries whatever the number of villages."""
    from notices.models import NoticePage

    villages = Village.objects.select_related("area", "cms_page").order_by("name")
    if area is not None:
        villages = villages.filter(Q(area=area) | Q(area__parent=area))
    entries = []
    by_branch: dict[str, dict] = {}
    for village in villages:
        page = getattr(village, "cms_page", None)
        if page is not None and not page.live:
            page = None
        entry = {"village": village, "page": page, "notices": []}
        entries.append(entry)
        if page is not None:
            by_branch[page.path] = entry
    if portal is not None and by_branch:
        prefix_len = (portal.depth + 1) * Page.steplen
        notices = _latest_per_branch(
            NoticePage.objects.live().descendant_of(portal).defer("body"),
            prefix_len=prefix_len,
            per_branch=LATEST_ON_PORTAL,
        )
        for notice in notices:
            entry = by_branch.get(notice.branch)
            if entry is not None:
                entry["notices"].append(notice)
    return entries


def village_home(*, village_page) -> dict:
    """Latest notices and the disclosure sections with their newest entries."""
    from disclosure.models import DisclosureIndexPage, Section
    from notices.models import NoticeIndexPage, NoticePage

    notice_index = NoticeIndexPage.objects.child_of(village_page).live().first()
    notices = list(
        NoticePage.objects.live()
        .descendant_of(village_page)
        .defer("body")
        .order_by("-first_published_at", "-id")[:LATEST_ON_HOME]
    )
    order = list(Section.values)
    sections = sorted(
        DisclosureIndexPage.objects.child_of(village_page).live(),
        key=lambda s: (order.index(s.section), s.path),
    )
    by_path = {s.path: {"page": s, "entries": []} for s in sections}
    if sections:
        entries = _latest_per_branch(
            Page.objects.live()
            .filter(depth=village_page.depth + 2)
            .filter(reduce(or_, [Q(path__startswith=p) for p in by_path])),
            prefix_len=(village_page.depth + 1) * Page.steplen,
            per_branch=LATEST_PER_SECTION,
        )
        for entry in entries:
            by_path[entry.branch]["entries"].append(entry)
    return {
        "notice_index": notice_index,
        "latest_notices": notices,
        "sections": list(by_path.values()),
    }

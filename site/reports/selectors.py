"""Reads: the committee's queue, the public list, one's own reports, the township's
escalated reports. Each list costs a fixed number of queries whatever its length."""

from __future__ import annotations

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deliberation.origins import TopicOrigin
from reports.models import (
    OPEN_STATUSES,
    Department,
    Kind,
    MeToo,
    Rating,
    Report,
    ReportEvent,
    ReportPhoto,
    Status,
)
from villages.models import Grid, Village


def _with_counts(qs: QuerySet) -> QuerySet:
    # A correlated subquery rather than JOIN + GROUP BY: the paginator's COUNT can
    # then drop it, and each page counts only its own rows.
    me_too = (
        MeToo.objects.filter(report=OuterRef("pk"))
        .order_by()
        .values("report")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        me_too_count=Coalesce(Subquery(me_too, output_field=IntegerField()), 0)
    )


def queue_for_village(
    *,
    village: Village,
    kind: str | None = None,
    grid_id: int | None = None,
    status: str | None = None,
    overdue: bool = False,
) -> QuerySet[Report]:
    """The committee's queue: open reports first, oldest first among them."""
    qs = Report.objects.filter(village=village)
    if kind:
        qs = qs.filter(kind=kind)
    if grid_id:
        qs = qs.filter(grid_id=grid_id)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.overdue()
    return _with_counts(
        qs.select_related("grid", "assignee", "department", "filer", "village")
    ).order_by("filed_at", "pk")


def overdue_for_village(*, village: Village) -> QuerySet[Report]:
    return (
        Report.objects.filter(village=village)
        .overdue()
        .select_related("assignee", "department", "village")
        .order_by("due_on", "pk")
    )


def queue_counts(*, village: Village) -> dict:
    """Open reports per kind and per grid, and how many are overdue: one query."""
    today = timezone.localdate()
    rows = (
        Report.objects.filter(village=village, status__in=OPEN_STATUSES)
        .values("kind", "grid_id")
        .annotate(
            open=Count("pk"),
            overdue=Count(
                "pk",
                filter=Q(
                    status__in=[Status.ASSIGNED, Status.IN_PROGRESS], due_on__lt=today
                ),
            ),
        )
        .order_by()
    )
    kinds = dict.fromkeys(Kind.values, 0)
    per_grid: dict = {}
    overdue = 0
    for row in rows:
        kinds[row["kind"]] += row["open"]
        per_grid[row["grid_id"]] = per_grid.get(row["grid_id"], 0) + row["open"]
        overdue += row["overdue"]
    return {
        "kinds": [(k, Kind(k).label, kinds[k]) for k in Kind.values],
        # every grid of the village, so one can filter by a grid with none open
        "grids": [
            (grid.pk, grid.name, per_grid.get(grid.pk, 0))
            for grid in Grid.objects.filter(village=village).order_by("name")
        ],
        "overdue": overdue,
    }


def public_reports(*, village: Village, kind: str | None = None) -> QuerySet[Report]:
    """What neighbours see: public reports, with status and "me too", no names."""
    qs = Report.objects.filter(village=village, is_public=True)
    if kind:
        qs = qs.filter(kind=kind)
    return _with_counts(qs.select_related("village")).only(
        "pk",
        "village__slug",
        "number",
        "kind",
        "text",
        "place",
        "status",
        "filed_at",
        "closed_at",
        "is_public",
        "escalated_at",
        "topic_id",
    )


def reports_filed_by(*, village: Village, user) -> QuerySet[Report]:
    return _with_counts(
        Report.objects.filter(village=village, filer=user).select_related("village")
    )


def reports_assigned_to(*, village: Village, user) -> QuerySet[Report]:
    return Report.objects.filter(
        village=village, assignee=user, status__in=OPEN_STATUSES
    ).select_related("village", "grid")


def report_detail(*, village: Village, pk: int) -> Report | None:
    return (
        _with_counts(
            Report.objects.filter(village=village, pk=pk).select_related(
                "village__area",
                "filer",
                "grid",
                "assignee",
                "department",
                "topic",
            )
        )
        .prefetch_related(
            Prefetch("photos", queryset=ReportPhoto.objects.order_by("pk")),
            Prefetch("events", queryset=ReportEvent.objects.select_related("actor")),
        )
        .first()
    )


def departments_for(*, village: Village, active_only: bool = True):
    qs = Department.objects.filter(village=village)
    return qs.filter(is_active=True) if active_only else qs


def escalated_for_areas(*, area_ids) -> QuerySet[Report]:
    """Reports the villages of these areas passed to the township."""
    return _with_counts(
        Report.objects.filter(
            village__area_id__in=area_ids, escalated_at__isnull=False
        ).select_related("village", "assignee", "department")
    ).order_by("-escalated_at", "-pk")


def failed_twice_for_areas(*, area_ids) -> QuerySet[Report]:
    """Reports the village answered twice and the filer rated dissatisfied
    twice, not yet passed to the township: the township asks the village why."""
    return (
        Report.objects.filter(
            village__area_id__in=area_ids,
            status=Status.RATED,
            rating=Rating.DISSATISFIED,
            reopened_at__isnull=False,
            escalated_at__isnull=True,
        )
        .select_related("village")
        .order_by("rated_at", "pk")
    )


def villages_of_areas(*, area_ids) -> QuerySet[Village]:
    return Village.objects.filter(area_id__in=area_ids).order_by("name")


def report_origins_of_topic(*, topic) -> list[TopicOrigin]:
    """The reports a topic was made from, as links on the topic's page (a
    deliberation.origins source): one query."""
    return [
        TopicOrigin(
            label=_("resident report %(number)s") % {"number": number},
            url=reverse(
                "reports:detail", kwargs={"village": topic.village.slug, "pk": pk}
            ),
        )
        for pk, number in Report.objects.filter(topic=topic)
        .order_by("filed_at", "pk")
        .values_list("pk", "number")
    ]

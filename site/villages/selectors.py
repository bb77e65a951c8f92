"""Reads about villages and their people. Every function takes the village."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from villages.access import supervised_area_ids
from villages.models import Area, Membership, Village


def villages_for_user(*, user) -> QuerySet[Village]:
    """Villages the user belongs to or supervises."""
    if not user.is_authenticated:
        return Village.objects.none()
    areas = supervised_area_ids(user)
    return (
        Village.objects.filter(
            Q(memberships__user=user, memberships__left_at__isnull=True)
            | Q(area_id__in=areas)
        )
        .select_related("area")
        .distinct()
    )


def memberships_for_user(*, user) -> QuerySet[Membership]:
    return (
        Membership.objects.active()
        .filter(user=user)
        .select_related("village", "village__area", "household", "grid")
        .order_by("village__name")
    )


def village_members(*, village: Village) -> QuerySet[Membership]:
    return (
        Membership.objects.active()
        .filter(village=village)
        .select_related("user", "household", "grid")
        .order_by("household__number", "relation", "user__name", "pk")
    )


def village_committee(*, village: Village) -> QuerySet[Membership]:
    return village_members(village=village).filter(is_committee=True)


def areas_with_villages() -> QuerySet[Area]:
    from django.db.models import Prefetch

    return (
        Area.objects.filter(villages__isnull=False)
        .distinct()
        .prefetch_related(
            Prefetch("villages", queryset=Village.objects.order_by("name"))
        )
    )

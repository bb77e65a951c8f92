"""Who may do what in which village: the one place tenancy is decided.

Views never filter by village themselves; they ask these predicates (registered as
django-rules permissions) and read through selectors that take the village.
"""

from __future__ import annotations

import rules

from villages.models import Membership, Supervisor, Village

_CACHE_ATTR = "_xiangyue_access"


def _cache(user) -> dict:
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {"memberships": {}, "supervised_areas": None}
        setattr(user, _CACHE_ATTR, cache)
    return cache


def membership_for(user, village: Village) -> Membership | None:
    """The user's active membership of the village, or None (cached on the user)."""
    if not getattr(user, "is_authenticated", False) or village is None:
        return None
    memberships = _cache(user)["memberships"]
    if village.pk not in memberships:
        memberships[village.pk] = (
            Membership.objects.active()
            .select_related("household", "grid")
            .filter(user=user, village=village)
            .first()
        )
    return memberships[village.pk]


def supervised_area_ids(user) -> frozenset[int]:
    """Areas the user supervises, with the areas inside them."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = _cache(user)
    if cache["supervised_areas"] is None:
        ids = set(
            Supervisor.objects.filter(user=user).values_list("area_id", flat=True)
        )
        if ids:
            from villages.models import Area

            ids |= set(
                Area.objects.filter(parent_id__in=ids).values_list("id", flat=True)
            )
        cache["supervised_areas"] = frozenset(ids)
    return cache["supervised_areas"]


def forget(user) -> None:
    """Drop cached answers (after a membership changes in the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _has_role(role_field: str):
    @rules.predicate(name=role_field)
    def predicate(user, village) -> bool:
        membership = membership_for(user, village)
        return bool(membership and getattr(membership, role_field))

    return predicate


@rules.predicate
def is_member(user, village) -> bool:
    return membership_for(user, village) is not None


@rules.predicate
def is_supervisor(user, village) -> bool:
    return village is not None and village.area_id in supervised_area_ids(user)


is_resident = _has_role("is_resident")
is_household_rep = _has_role("is_household_rep")
is_grid_worker = _has_role("is_grid_worker")
is_committee = _has_role("is_committee")
is_shopkeeper = _has_role("is_shopkeeper")
is_monitor = _has_role("is_monitor")

# Reading a village's own pages (members' dashboard).
rules.add_perm("villages.view_village", is_member | is_supervisor)
# The roster holds phone numbers: the committee keeps it; the watchdogs read it.
rules.add_perm("villages.view_roster", is_committee | is_monitor | is_supervisor)
rules.add_perm("villages.manage_roster", is_committee)
# The audit log: the committee, the supervision committee and the township.
rules.add_perm("audit.view_log", is_committee | is_monitor | is_supervisor)

"""Who may do what with points, as django-rules permissions on the village."""

import rules

from villages.access import (
    is_committee,
    is_grid_worker,
    is_household_rep,
    is_member,
    is_monitor,
    is_supervisor,
)

# Every member reads the village's points pages (the list, their household).
rules.add_perm("points.view_points", is_member | is_supervisor)
# Grid workers and the committee record entries; a household representative claims.
rules.add_perm("points.record_entry", is_committee | is_grid_worker)
rules.add_perm("points.claim_entry", is_household_rep)
rules.add_perm("points.propose_entry", is_committee | is_grid_worker | is_household_rep)
# The village's points settings (notice period, list percentages, privacy).
rules.add_perm("points.manage_settings", is_committee)
# Review, appeals, corrections, the catalogue and the lists: the committee.
rules.add_perm("points.review_entries", is_committee)
# 村务监督委员会 and the township read everything of the village, deciding nothing:
# the review queue and lists before they are published.
rules.add_perm("points.view_review_queue", is_committee | is_monitor | is_supervisor)
rules.add_perm("points.manage_rules", is_committee)
rules.add_perm("points.manage_lists", is_committee)
# Village-wide figures and the review queue: the committee and the watchdogs.
rules.add_perm("points.view_village_figures", is_committee | is_monitor | is_supervisor)
# 信用户 export for the bank or township: the committee and the township.
rules.add_perm("points.export_credit", is_committee | is_supervisor)


@rules.predicate
def sees_household(user, household) -> bool:
    """The household itself, its grid worker, the committee and the watchdogs."""
    from villages.access import membership_for

    if is_supervisor(user, household.village):
        return True
    membership = membership_for(user, household.village)
    if membership is None:
        return False
    return (
        membership.household_id == household.pk
        or membership.is_committee
        or membership.is_monitor
        or bool(
            membership.is_grid_worker
            and membership.grid_id
            and membership.grid_id == household.grid_id
        )
    )


# Object: a household. Reasons and photos are for these people only.
rules.add_perm("points.view_household", sees_household)

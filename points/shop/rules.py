"""Who may do what in the shop, as django-rules permissions on the village (or a
shop)."""

import rules

from villages.access import (
    is_committee,
    is_member,
    is_monitor,
    is_shopkeeper,
    is_supervisor,
    membership_for,
)


@rules.predicate
def has_household(user, village) -> bool:
    membership = membership_for(user, village)
    return bool(membership and membership.household_id)


@rules.predicate
def keeps_shop(user, shop) -> bool:
    """A shopkeeper of the village who is one of this shop's shopkeepers."""
    if shop is None or not is_shopkeeper(user, shop.village):
        return False
    return shop.shopkeepers.filter(pk=user.pk).exists()


# Members see the shop; a household member takes vouchers for the household.
rules.add_perm("shop.view_shop", is_member | is_supervisor)
rules.add_perm("shop.take_voucher", has_household)
# Shopkeepers reach the counter (their own shops: ``shop.keep_shop`` on a shop).
rules.add_perm("shop.counter", is_shopkeeper)
rules.add_perm("shop.keep_shop", keeps_shop)
# The committee runs the shop; the watchdogs read the statements.
rules.add_perm("shop.manage", is_committee)
rules.add_perm("shop.view_statements", is_committee | is_monitor | is_supervisor)

"""Slots on the village home page that other apps fill.

The deliberation and points apps are built later; until one registers its slot,
the home page shows a plain "not yet" card in its place. An app registers in its
``AppConfig.ready``::

    from cms_home.slots import HomeSlot, register_home_slot

    register_home_slot(HomeSlot(key="votes", title=_("Votes and topics"),
        template="deliberation/home_slot.html", order=10, context=open_votes))

``context(village=..., request=...)`` returns the template's context; it should
cost a fixed number of queries (the home page's query count is pinned in tests).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class HomeSlot:
    key: str
    title: str
    template: str
    order: int = 50
    description: str = ""
    context: Callable[..., dict] | None = field(default=None, compare=False)

    def get_context(self, *, village, request) -> dict:
        if self.context is None:
            return {}
        return self.context(village=village, request=request)


_slots: dict[str, HomeSlot] = {}


def register_home_slot(slot: HomeSlot, *, default: bool = False) -> None:
    """Add or replace a slot. A default never replaces an app's own registration."""
    if default and slot.key in _slots:
        return
    _slots[slot.key] = slot


def home_slots() -> list[HomeSlot]:
    return sorted(_slots.values(), key=lambda s: (s.order, s.key))


NOT_YET = "cms_home/slots/not_yet.html"


def register_defaults() -> None:
    for slot in [
        HomeSlot(
            key="votes",
            title=_("Votes and topics"),
            template=NOT_YET,
            order=10,
            description=_(
                "Open votes and topics for discussion will be shown here once "
                "village deliberation is switched on."
            ),
        ),
        HomeSlot(
            key="red_list",
            title=_("Red list"),
            template=NOT_YET,
            order=20,
            description=_(
                "This period's red list will be shown here once the integrity "
                "points ledger is switched on."
            ),
        ),
        HomeSlot(
            key="shop",
            title=_("Points shop"),
            template=NOT_YET,
            order=30,
            description=_(
                "The points shop will be shown here once it opens in this village."
            ),
        ),
    ]:
        register_home_slot(slot, default=True)

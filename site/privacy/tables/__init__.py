"""A person's data as tables, one per kind: what goes into the export is decided
here and nowhere else (``privacy.coverage`` names the model field behind each).

Rows hold only the person's own data and their household's as the household
itself sees it: names of others appear only where the household's own pages show
them (who recorded or approved an entry), never another household's members,
phones or scores.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy

from privacy.tables import people, points, taking_part


@dataclass
class Table:
    key: str
    title: str
    columns: list[tuple[str, str]]
    rows: list[dict[str, Any]] = field(default_factory=list)


# key → title, in the order of the files and sheets.


KINDS: dict[str, Any] = {
    "account": gettext_lazy("Account"),
    "memberships": gettext_lazy("Villages and roles"),
    "supervision": gettext_lazy("Areas supervised"),
    "household": gettext_lazy("Household"),
    "points_entries": gettext_lazy("Points entries"),
    "claims": gettext_lazy("Claims"),
    "appeals": gettext_lazy("Appeals"),
    "balance": gettext_lazy("Points balance"),
    "ledger": gettext_lazy("Ledger history"),
    "lists": gettext_lazy("Red and black lists"),
    "vouchers": gettext_lazy("Vouchers"),
    "household_card": gettext_lazy("Household card"),
    "shops_kept": gettext_lazy("Shops kept"),
    "comments": gettext_lazy("Comments"),
    "topics": gettext_lazy("Topics proposed"),
    "cosignatures": gettext_lazy("Co-signatures"),
    "comment_flags": gettext_lazy("Comments flagged"),
    "participations": gettext_lazy("Votes taken part in"),
    "paper_ballots_recorded": gettext_lazy("Paper ballots recorded"),
    "ratings": gettext_lazy("Ratings"),
    "reports": gettext_lazy("Reports filed"),
    "me_too": gettext_lazy("Me too"),
    "notifications": gettext_lazy("Messages"),
    "message_settings": gettext_lazy("Message settings"),
    "audit": gettext_lazy("Audit log"),
}

TABLES: dict[str, tuple[list[tuple[str, Any]], Callable]] = {
    **people.TABLES,
    **points.TABLES,
    **taking_part.TABLES,
}

"""Tables of the household's points: entries, claims, appeals, ledger, lists, shop.

Only the person's own households (active memberships), as the household's own
points page shows them, who recorded and approved included.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from privacy.tables.format import HOUSEHOLD, VILLAGE, columns, day, name, village, when


def _entry_row(e) -> dict:
    return {
        "village": village(e),
        "household": e.household.number,
        "date": day(e.occurred_on),
        "category": e.item.category.name,
        "item": e.item.name,
        "points": e.points,
        "status": e.get_status_display(),
        "note": e.note,
        "recorded_by": name(e.recorded_by),
        "recorded": when(e.recorded_at),
        "reviewed_by": name(e.reviewed_by),
        "reviewed": when(e.reviewed_at),
        "review_reason": e.review_reason,
        "notice_ends": when(e.notice_ends_at),
        "photos": e.photo_count,
    }


def _points_entries(ctx) -> list[dict]:
    return [_entry_row(e) for e in ctx["entries"]]


def _claims(ctx) -> list[dict]:
    # 申报: entries the person recorded for their own household.
    user = ctx["user"]
    return [_entry_row(e) for e in ctx["entries"] if e.recorded_by_id == user.pk]


def _appeals(ctx) -> list[dict]:
    return [
        {
            "village": a.entry.village.name,
            "household": a.entry.household.number,
            "entry": f"{day(a.entry.occurred_on)} {a.entry.item.name} "
            f"{a.entry.points:+d}",
            "filed_by": name(a.filed_by),
            "filed": when(a.filed_at),
            "reason": a.reason,
            "status": a.get_status_display(),
            "decided_by": name(a.decided_by),
            "decided": when(a.decided_at),
            "decision_reason": a.decision_reason,
        }
        for a in ctx["appeals"]
    ]


def _balance(ctx) -> list[dict]:
    holds = ctx["holds"]
    rows = []
    for account in ctx["accounts"]:
        held = holds.get(account.household_id, 0)
        rows.append(
            {
                "village": village(account),
                "household": account.household.number,
                "balance": account.balance,
                "held": held,
                "spendable": max(account.balance - held, 0),
            }
        )
    return rows


def _ledger(ctx) -> list[dict]:
    return [
        {
            "village": village(t),
            "household": t.household.number,
            "number": t.seq,
            "kind": t.get_kind_display(),
            "counts_on": day(t.effective_on),
            "amount": t.household_amount or 0,
            "score_change": t.score_delta,
            "memo": t.memo,
            "entry": t.entry.item.name if t.entry_id else "",
            "recorded": when(t.created_at),
        }
        for t in ctx["transactions"]
    ]


def _lists(ctx) -> list[dict]:
    return [
        {
            "village": line.ranking.village.name,
            "household": line.household.number,
            "from": day(line.ranking.starts_on),
            "to": day(line.ranking.ends_on),
            "list_status": line.ranking.get_status_display(),
            "color": line.get_color_display(),
            "rank": line.rank,
            "score": line.score,
            "veto": line.veto,
            "reasons": line.reasons,
            "name_shown": line.public_name,
            "objection": line.objection,
            "review": line.get_review_display(),
            "review_note": line.review_note,
            "repair_tasks": [
                task.description
                + (_(" (verified)") if task.verified_at is not None else "")
                for task in line.repair_tasks.all()
            ],
        }
        for line in ctx["list_lines"]
    ]


def _vouchers(ctx) -> list[dict]:
    # The numeric code is left out: a living voucher's code is what a shop redeems.
    return [
        {
            "village": village(v),
            "household": v.household.number,
            "shop": v.shop.name,
            "status": v.get_status_display(),
            "points": v.points,
            "goods": [
                f"{line.product.name} × {line.quantity}" for line in v.lines.all()
            ],
            "by_card": v.card_id is not None,
            "taken": when(v.created_at),
            "expires": when(v.expires_at),
            "ended": when(v.ended_at),
            "redeemed_by": name(v.redeemed_by),
        }
        for v in ctx["vouchers"]
    ]


def _household_card(ctx) -> list[dict]:
    return [
        {
            "village": village(card),
            "household": card.household.number,
            "issued": when(card.issued_at),
            "wrong_pins": card.failed_attempts,
            "locked": when(card.locked_at),
            "revoked": when(card.revoked_at),
        }
        for card in ctx["cards"]
    ]


def _shops_kept(ctx) -> list[dict]:
    return [{"village": village(s), "shop": s.name} for s in ctx["shops"]]


ENTRY_COLUMNS = columns(
    VILLAGE,
    HOUSEHOLD,
    ("date", gettext_lazy("Date")),
    ("category", gettext_lazy("Category")),
    ("item", gettext_lazy("Item")),
    ("points", gettext_lazy("Points")),
    ("status", gettext_lazy("Status")),
    ("note", gettext_lazy("Note")),
    ("recorded_by", gettext_lazy("Recorded by")),
    ("recorded", gettext_lazy("Recorded")),
    ("reviewed_by", gettext_lazy("Reviewed by")),
    ("reviewed", gettext_lazy("Reviewed")),
    ("review_reason", gettext_lazy("Reason")),
    ("notice_ends", gettext_lazy("Public notice ends")),
    ("photos", gettext_lazy("Photos")),
)

# key → (columns, builder)


TABLES: dict[str, tuple[list[tuple[str, Any]], Any]] = {
    "points_entries": (ENTRY_COLUMNS, _points_entries),
    "claims": (ENTRY_COLUMNS, _claims),
    "appeals": (
        columns(
            VILLAGE,
            HOUSEHOLD,
            ("entry", gettext_lazy("Entry")),
            ("filed_by", gettext_lazy("Filed by")),
            ("filed", gettext_lazy("Filed")),
            ("reason", gettext_lazy("Reason")),
            ("status", gettext_lazy("Status")),
            ("decided_by", gettext_lazy("Decided by")),
            ("decided", gettext_lazy("Decided")),
            ("decision_reason", gettext_lazy("Reason for the decision")),
        ),
        _appeals,
    ),
    "balance": (
        columns(
            VILLAGE,
            HOUSEHOLD,
            ("balance", gettext_lazy("Balance")),
            ("held", gettext_lazy("Held by vouchers")),
            ("spendable", gettext_lazy("Spendable")),
        ),
        _balance,
    ),
    "ledger": (
        columns(
            VILLAGE,
            HOUSEHOLD,
            ("number", gettext_lazy("Number")),
            ("kind", gettext_lazy("Kind")),
            ("counts_on", gettext_lazy("Counts on")),
            ("amount", gettext_lazy("Points in or out")),
            ("score_change", gettext_lazy("Score change")),
            ("memo", gettext_lazy("Memo")),
            ("entry", gettext_lazy("Entry")),
            ("recorded", gettext_lazy("Recorded")),
        ),
        _ledger,
    ),
    "lists": (
        columns(
            VILLAGE,
            HOUSEHOLD,
            ("from", gettext_lazy("From")),
            ("to", gettext_lazy("To")),
            ("list_status", gettext_lazy("List status")),
            ("color", gettext_lazy("List")),
            ("rank", gettext_lazy("Rank")),
            ("score", gettext_lazy("Score")),
            ("veto", gettext_lazy("Veto item")),
            ("reasons", gettext_lazy("Reasons")),
            ("name_shown", gettext_lazy("Name shown")),
            ("objection", gettext_lazy("Objection")),
            ("review", gettext_lazy("Review")),
            ("review_note", gettext_lazy("Review note")),
            ("repair_tasks", gettext_lazy("Repair tasks")),
        ),
        _lists,
    ),
    "vouchers": (
        columns(
            VILLAGE,
            HOUSEHOLD,
            ("shop", gettext_lazy("Shop")),
            ("status", gettext_lazy("Status")),
            ("points", gettext_lazy("Points")),
            ("goods", gettext_lazy("Goods")),
            ("by_card", gettext_lazy("By household card")),
            ("taken", gettext_lazy("Taken")),
            ("expires", gettext_lazy("Expires")),
            ("ended", gettext_lazy("Redeemed or ended")),
            ("redeemed_by", gettext_lazy("Redeemed by")),
        ),
        _vouchers,
    ),
    "household_card": (
        columns(
            VILLAGE,
            HOUSEHOLD,
            ("issued", gettext_lazy("Issued")),
            ("wrong_pins", gettext_lazy("Wrong PINs")),
            ("locked", gettext_lazy("Locked")),
            ("revoked", gettext_lazy("Revoked")),
        ),
        _household_card,
    ),
    "shops_kept": (columns(VILLAGE, ("shop", gettext_lazy("Shop"))), _shops_kept),
}

"""A person's data as tables: one per kind, written as JSON files and as the sheets
of one workbook, in one zip.

What goes in is decided here and nowhere else; ``privacy.coverage`` names the
model field behind each kind. Rows hold only the person's own data and their
household's as the household itself sees it: names of others appear only where
the household's own pages show them (who recorded or approved an entry), never
another household's members, phones or scores.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.phones import display_phone
from privacy import selectors
from roster.columns import neutralize

WORKBOOK_NAME = "data.xlsx"
README_NAME = "README.txt"


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


def _when(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _name(user) -> str:
    return user.display_name if user is not None else ""


def _village(obj) -> str:
    return obj.village.name


# Builders: each takes the collected context and returns its rows. -----------


def _account(ctx) -> list[dict]:
    user = ctx["user"]
    return [
        {
            "name": user.name,
            "phone": display_phone(user.phone) if user.phone else "",
            "phone_verified": user.phone_verified,
            "email": user.email,
            "other_emails": [e.email for e in ctx["emails"] if e.email != user.email],
            "joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        }
    ]


def _memberships(ctx) -> list[dict]:
    return [
        {
            "village": m.village.name,
            "household": m.household.number if m.household_id else "",
            "grid": m.grid.name if m.grid_id else "",
            "relation": m.get_relation_display(),
            "birth_year": m.birth_year,
            "roles": [str(label) for label in m.role_labels()],
            "verified": _when(m.verified_at),
            "joined": _when(m.joined_at),
            "left": _when(m.left_at),
        }
        for m in ctx["memberships"]
    ]


def _supervision(ctx) -> list[dict]:
    return [
        {"area": s.area.name, "kind": s.area.get_kind_display()}
        for s in ctx["supervisions"]
    ]


def _household(ctx) -> list[dict]:
    user = ctx["user"]
    return [
        {
            "village": m.village.name,
            "household": m.household.number,
            "name": m.user.display_name,
            "relation": m.get_relation_display(),
            "roles": [str(label) for label in m.role_labels()],
            "is_you": m.user_id == user.pk,
        }
        for m in ctx["members"]
    ]


def _entry_row(e) -> dict:
    return {
        "village": _village(e),
        "household": e.household.number,
        "date": _day(e.occurred_on),
        "category": e.item.category.name,
        "item": e.item.name,
        "points": e.points,
        "status": e.get_status_display(),
        "note": e.note,
        "recorded_by": _name(e.recorded_by),
        "recorded": _when(e.recorded_at),
        "reviewed_by": _name(e.reviewed_by),
        "reviewed": _when(e.reviewed_at),
        "review_reason": e.review_reason,
        "notice_ends": _when(e.notice_ends_at),
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
            "entry": f"{_day(a.entry.occurred_on)} {a.entry.item.name} "
            f"{a.entry.points:+d}",
            "filed_by": _name(a.filed_by),
            "filed": _when(a.filed_at),
            "reason": a.reason,
            "status": a.get_status_display(),
            "decided_by": _name(a.decided_by),
            "decided": _when(a.decided_at),
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
                "village": _village(account),
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
            "village": _village(t),
            "household": t.household.number,
            "number": t.seq,
            "kind": t.get_kind_display(),
            "counts_on": _day(t.effective_on),
            "amount": t.household_amount or 0,
            "score_change": t.score_delta,
            "memo": t.memo,
            "entry": t.entry.item.name if t.entry_id else "",
            "recorded": _when(t.created_at),
        }
        for t in ctx["transactions"]
    ]


def _lists(ctx) -> list[dict]:
    return [
        {
            "village": line.ranking.village.name,
            "household": line.household.number,
            "from": _day(line.ranking.starts_on),
            "to": _day(line.ranking.ends_on),
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
            "village": _village(v),
            "household": v.household.number,
            "shop": v.shop.name,
            "status": v.get_status_display(),
            "points": v.points,
            "goods": [
                f"{line.product.name} × {line.quantity}" for line in v.lines.all()
            ],
            "by_card": v.card_id is not None,
            "taken": _when(v.created_at),
            "expires": _when(v.expires_at),
            "ended": _when(v.ended_at),
            "redeemed_by": _name(v.redeemed_by),
        }
        for v in ctx["vouchers"]
    ]


def _household_card(ctx) -> list[dict]:
    return [
        {
            "village": _village(card),
            "household": card.household.number,
            "issued": _when(card.issued_at),
            "wrong_pins": card.failed_attempts,
            "locked": _when(card.locked_at),
            "revoked": _when(card.revoked_at),
        }
        for card in ctx["cards"]
    ]


def _shops_kept(ctx) -> list[dict]:
    return [{"village": _village(s), "shop": s.name} for s in ctx["shops"]]


def _comments(ctx) -> list[dict]:
    return [
        {
            "village": c.topic.village.name,
            "topic": c.topic.title,
            "written": _when(c.created_at),
            "edited": _when(c.edited_at),
            "text": c.body,
            "earlier_versions": [
                f"{_when(r.replaced_at)}: {r.body}" for r in c.revisions.all()
            ],
            "hidden": c.get_hidden_display() if c.hidden else "",
            "hidden_reason": c.hidden_reason,
            "is_reply": c.parent_id is not None,
        }
        for c in ctx["comments"]
    ]


def _topics(ctx) -> list[dict]:
    return [
        {
            "village": _village(t),
            "title": t.title,
            "origin": t.get_origin_display(),
            "phase": t.get_phase_display(),
            "created": _when(t.created_at),
            "description": t.description,
            "answer": t.answer,
        }
        for t in ctx["topics"]
    ]


def _cosignatures(ctx) -> list[dict]:
    return [
        {
            "village": c.topic.village.name,
            "topic": c.topic.title,
            "when": _when(c.created_at),
        }
        for c in ctx["cosignatures"]
    ]


def _comment_flags(ctx) -> list[dict]:
    return [
        {
            "village": f.comment.topic.village.name,
            "topic": f.comment.topic.title,
            "comment": f.comment_id,
            "when": _when(f.created_at),
        }
        for f in ctx["flags"]
    ]


def _participations(ctx) -> list[dict]:
    return [
        {
            "village": p.vote.village.name,
            "topic": p.vote.topic.title,
            "vote": p.vote.question,
            "day": _day(p.voted_on),
            "secret_ballot": p.vote.is_secret,
            "for_household": p.per_household,
            "paper_ballot": p.is_paper,
            "recorded_by": _name(p.recorded_by) if p.is_paper else "",
            "consent": p.consent_note,
        }
        for p in ctx["participations"]
    ]


def _paper_ballots_recorded(ctx) -> list[dict]:
    return [
        {
            "village": row["vote__village__name"],
            "vote": row["vote__question"],
            "day": _day(row["voted_on"]),
            "count": row["count"],
        }
        for row in ctx["paper_recorded"]
    ]


def _ratings(ctx) -> list[dict]:
    return [
        {
            "village": r.topic.village.name,
            "topic": r.topic.title,
            "stars": r.stars,
            "comment": r.comment,
            "when": _when(r.created_at),
        }
        for r in ctx["ratings"]
    ]


def _reports(ctx) -> list[dict]:
    return [
        {
            "village": _village(r),
            "number": r.number,
            "kind": r.get_kind_display(),
            "status": r.get_status_display(),
            "filed": _when(r.filed_at),
            "text": r.text,
            "place": r.place,
            "latitude": str(r.latitude) if r.latitude is not None else None,
            "longitude": str(r.longitude) if r.longitude is not None else None,
            "public": r.is_public,
            "answer": r.answer,
            "answered": _when(r.closed_at),
            "rating": r.get_rating_display() if r.rating else "",
            "rating_comment": r.rating_comment,
            "photos": [
                f"{p.image.name.rsplit('/', 1)[-1]} ({p.width}×{p.height})"
                for p in r.photos.all()
            ],
            "steps": [f"{_when(e.at)} {e.get_kind_display()}" for e in r.events.all()],
        }
        for r in ctx["reports"]
    ]


def _me_too(ctx) -> list[dict]:
    return [
        {
            "village": m.report.village.name,
            "report": m.report.number,
            "when": _when(m.at),
        }
        for m in ctx["me_too"]
    ]


def _notifications(ctx) -> list[dict]:
    return [
        {
            "village": n.village.name if n.village_id else "",
            "kind": n.get_kind_display(),
            "title": n.title,
            "text": n.body,
            "link": n.url,
            "sent": _when(n.created_at),
            "read": _when(n.read_at),
        }
        for n in ctx["notifications"]
    ]


def _message_settings(ctx) -> list[dict]:
    from notifications.models import Channel, Delivery, Kind

    return [
        {
            "kind": str(Kind(kind).label),
            "delivery": str(Delivery(delivery).label),
            "channel": str(Channel(channel).label),
        }
        for kind, (delivery, channel) in ctx["preferences"].items()
    ]


def _audit(ctx) -> list[dict]:
    user = ctx["user"]
    rows = []
    for a in ctx["audit"]:
        acted = a.actor_id == user.pk
        row = {
            "when": _when(a.created_at),
            "village": a.village.name if a.village_id else "",
            "action": a.action_label,
            "role": _("you acted") if acted else _("about you"),
            "by": a.actor_name,
            "object_type": a.target_type,
            "object_id": a.target_id,
            # What an action of the person did to others' records stays with
            # those records: for their own actions, only what and when.
            "object": "" if acted else a.target_repr,
            "note": "" if acted else a.note,
            "before": None if acted else a.before,
            "after": None if acted else a.after,
        }
        if acted and a.target_type == "accounts.User" and a.target_id == str(user.pk):
            row.update(
                object=a.target_repr, note=a.note, before=a.before, after=a.after
            )
        rows.append(row)
    return rows


def _c(*pairs: tuple[str, Any]) -> list[tuple[str, Any]]:
    return list(pairs)


VILLAGE = ("village", gettext_lazy("Village"))
HOUSEHOLD = ("household", gettext_lazy("Household"))
ENTRY_COLUMNS = _c(
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
TABLES: dict[str, tuple[list[tuple[str, Any]], Callable]] = {
    "account": (
        _c(
            ("name", gettext_lazy("Name")),
            ("phone", gettext_lazy("Mobile number")),
            ("phone_verified", gettext_lazy("Number confirmed")),
            ("email", gettext_lazy("E-mail")),
            ("other_emails", gettext_lazy("Other e-mail addresses")),
            ("joined", gettext_lazy("Joined")),
            ("last_login", gettext_lazy("Last login")),
        ),
        _account,
    ),
    "memberships": (
        _c(
            VILLAGE,
            HOUSEHOLD,
            ("grid", gettext_lazy("Grid")),
            ("relation", gettext_lazy("Relation")),
            ("birth_year", gettext_lazy("Year of birth")),
            ("roles", gettext_lazy("Roles")),
            ("verified", gettext_lazy("Verified")),
            ("joined", gettext_lazy("Joined")),
            ("left", gettext_lazy("Left")),
        ),
        _memberships,
    ),
    "supervision": (
        _c(("area", gettext_lazy("Area")), ("kind", gettext_lazy("Kind"))),
        _supervision,
    ),
    "household": (
        _c(
            VILLAGE,
            HOUSEHOLD,
            ("name", gettext_lazy("Name")),
            ("relation", gettext_lazy("Relation")),
            ("roles", gettext_lazy("Roles")),
            ("is_you", gettext_lazy("You")),
        ),
        _household,
    ),
    "points_entries": (ENTRY_COLUMNS, _points_entries),
    "claims": (ENTRY_COLUMNS, _claims),
    "appeals": (
        _c(
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
        _c(
            VILLAGE,
            HOUSEHOLD,
            ("balance", gettext_lazy("Balance")),
            ("held", gettext_lazy("Held by vouchers")),
            ("spendable", gettext_lazy("Spendable")),
        ),
        _balance,
    ),
    "ledger": (
        _c(
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
        _c(
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
        _c(
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
        _c(
            VILLAGE,
            HOUSEHOLD,
            ("issued", gettext_lazy("Issued")),
            ("wrong_pins", gettext_lazy("Wrong PINs")),
            ("locked", gettext_lazy("Locked")),
            ("revoked", gettext_lazy("Revoked")),
        ),
        _household_card,
    ),
    "shops_kept": (_c(VILLAGE, ("shop", gettext_lazy("Shop"))), _shops_kept),
    "comments": (
        _c(
            VILLAGE,
            ("topic", gettext_lazy("Topic")),
            ("written", gettext_lazy("Written")),
            ("edited", gettext_lazy("Edited")),
            ("text", gettext_lazy("Text")),
            ("earlier_versions", gettext_lazy("Earlier versions")),
            ("hidden", gettext_lazy("Hidden")),
            ("hidden_reason", gettext_lazy("Reason")),
            ("is_reply", gettext_lazy("Reply")),
        ),
        _comments,
    ),
    "topics": (
        _c(
            VILLAGE,
            ("title", gettext_lazy("Title")),
            ("origin", gettext_lazy("Origin")),
            ("phase", gettext_lazy("Phase")),
            ("created", gettext_lazy("Created")),
            ("description", gettext_lazy("Description")),
            ("answer", gettext_lazy("The committee's answer")),
        ),
        _topics,
    ),
    "cosignatures": (
        _c(VILLAGE, ("topic", gettext_lazy("Topic")), ("when", gettext_lazy("When"))),
        _cosignatures,
    ),
    "comment_flags": (
        _c(
            VILLAGE,
            ("topic", gettext_lazy("Topic")),
            ("comment", gettext_lazy("Comment number")),
            ("when", gettext_lazy("When")),
        ),
        _comment_flags,
    ),
    "participations": (
        _c(
            VILLAGE,
            ("topic", gettext_lazy("Topic")),
            ("vote", gettext_lazy("Vote")),
            ("day", gettext_lazy("Day")),
            ("secret_ballot", gettext_lazy("Secret ballot")),
            ("for_household", gettext_lazy("For the household")),
            ("paper_ballot", gettext_lazy("Paper ballot")),
            ("recorded_by", gettext_lazy("Recorded by")),
            ("consent", gettext_lazy("Consent")),
        ),
        _participations,
    ),
    "paper_ballots_recorded": (
        _c(
            VILLAGE,
            ("vote", gettext_lazy("Vote")),
            ("day", gettext_lazy("Day")),
            ("count", gettext_lazy("Ballots")),
        ),
        _paper_ballots_recorded,
    ),
    "ratings": (
        _c(
            VILLAGE,
            ("topic", gettext_lazy("Topic")),
            ("stars", gettext_lazy("Stars")),
            ("comment", gettext_lazy("Comment")),
            ("when", gettext_lazy("When")),
        ),
        _ratings,
    ),
    "reports": (
        _c(
            VILLAGE,
            ("number", gettext_lazy("Number")),
            ("kind", gettext_lazy("Kind")),
            ("status", gettext_lazy("Status")),
            ("filed", gettext_lazy("Filed")),
            ("text", gettext_lazy("Text")),
            ("place", gettext_lazy("Place")),
            ("latitude", gettext_lazy("Latitude")),
            ("longitude", gettext_lazy("Longitude")),
            ("public", gettext_lazy("May be shown publicly")),
            ("answer", gettext_lazy("Answer")),
            ("answered", gettext_lazy("Answered")),
            ("rating", gettext_lazy("Rating")),
            ("rating_comment", gettext_lazy("Comment")),
            ("photos", gettext_lazy("Photos")),
            ("steps", gettext_lazy("Steps")),
        ),
        _reports,
    ),
    "me_too": (
        _c(
            VILLAGE,
            ("report", gettext_lazy("Report")),
            ("when", gettext_lazy("When")),
        ),
        _me_too,
    ),
    "notifications": (
        _c(
            VILLAGE,
            ("kind", gettext_lazy("Kind")),
            ("title", gettext_lazy("Title")),
            ("text", gettext_lazy("Text")),
            ("link", gettext_lazy("Link")),
            ("sent", gettext_lazy("Sent")),
            ("read", gettext_lazy("Read")),
        ),
        _notifications,
    ),
    "message_settings": (
        _c(
            ("kind", gettext_lazy("Kind")),
            ("delivery", gettext_lazy("Delivery")),
            ("channel", gettext_lazy("Channel")),
        ),
        _message_settings,
    ),
    "audit": (
        _c(
            ("when", gettext_lazy("When")),
            VILLAGE,
            ("action", gettext_lazy("Action")),
            ("role", gettext_lazy("You were")),
            ("by", gettext_lazy("By")),
            ("object_type", gettext_lazy("Object type")),
            ("object_id", gettext_lazy("Object number")),
            ("object", gettext_lazy("Object")),
            ("note", gettext_lazy("Note")),
            ("before", gettext_lazy("Before")),
            ("after", gettext_lazy("After")),
        ),
        _audit,
    ),
}


def person_context(*, user) -> dict[str, Any]:
    """Everything the tables read, each a list: a fixed number of queries."""
    memberships = selectors.person_memberships(user=user)
    households = selectors.person_households(memberships)
    return {
        "user": user,
        "memberships": memberships,
        "emails": list(selectors.person_email_addresses(user=user)),
        "supervisions": list(selectors.person_supervisions(user=user)),
        "members": list(selectors.household_members(households=households)),
        "entries": list(selectors.household_points_entries(households=households)),
        "appeals": list(selectors.person_appeals(user=user, households=households)),
        "accounts": list(selectors.household_accounts(households=households)),
        "holds": selectors.household_holds(households=households),
        "transactions": list(selectors.household_transactions(households=households)),
        "list_lines": list(selectors.household_list_lines(households=households)),
        "vouchers": list(selectors.household_vouchers(households=households)),
        "cards": list(selectors.household_cards(households=households)),
        "shops": list(selectors.person_shops_kept(user=user)),
        "comments": list(selectors.person_comments(user=user)),
        "topics": list(selectors.person_topics(user=user)),
        "cosignatures": list(selectors.person_cosignatures(user=user)),
        "flags": list(selectors.person_comment_flags(user=user)),
        "participations": list(selectors.person_participations(user=user)),
        "paper_recorded": list(selectors.person_paper_ballots_recorded(user=user)),
        "ratings": list(selectors.person_ratings(user=user)),
        "reports": list(selectors.person_reports(user=user)),
        "me_too": list(selectors.person_me_too(user=user)),
        "notifications": list(selectors.person_notifications(user=user)),
        "preferences": selectors.person_preferences(user=user),
        "audit": list(
            selectors.person_audit_entries(user=user, memberships=memberships)
        ),
    }


def person_tables(*, user) -> list[Table]:
    ctx = person_context(user=user)
    tables = []
    for key, title in KINDS.items():
        columns, build = TABLES[key]
        tables.append(
            Table(
                key=key,
                title=str(title),
                columns=[(k, str(label)) for k, label in columns],
                rows=build(ctx),
            )
        )
    return tables


def readme_text(*, user, now: dt.datetime) -> str:
    lines = [
        _("Your data on Xiangyue"),
        "",
        _("Made on %(when)s for %(name)s.")
        % {"when": _when(now), "name": user.display_name},
        "",
        _(
            "Each kind of data is one JSON file and one sheet of %(workbook)s. "
            "It holds your account, your villages and roles, your household as "
            "your household sees it, its points entries, appeals, claims, "
            "balance, ledger history, lists, vouchers and household card, what "
            "you wrote, proposed, co-signed, rated and reported, your messages "
            "and their settings, and the audit log rows of your actions and "
            "about you."
        )
        % {"workbook": WORKBOOK_NAME},
        "",
        _(
            "Votes: the platform keeps that you took part in a vote, never what "
            "you chose. A secret ballot is stored with nothing that links it to "
            "you, by design, so nobody (not this export, not the committee, not "
            "the site's administrators) can tell which ballot was yours. The "
            "receipt code you were shown when you voted is the only key to your "
            "ballot, and the platform does not keep it."
        ),
        "",
        _(
            "Not included: other households' data; reports you were asked to "
            "handle and entries you recorded for other households (they belong "
            "to those households); the audit details of what your actions did "
            "to others' records (only what you did and when); PINs, card and "
            "voucher codes, and passwords, which are never stored in a form "
            "that could be shown."
        ),
    ]
    return "\n".join(lines) + "\n"


def _cell_value(value: Any) -> Any:
    if isinstance(value, list):
        value = "\n".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    elif isinstance(value, bool):
        value = _("yes") if value else _("no")
    if value == "":
        return None
    return neutralize(value)


def _sheet_title(title: str, used: set[str]) -> str:
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    title = title[:31]
    candidate, n = title, 2
    while candidate in used:
        suffix = f" {n}"
        candidate = title[: 31 - len(suffix)] + suffix
        n += 1
    used.add(candidate)
    return candidate


def tables_workbook(tables: Iterable[Table], *, readme: str) -> bytes:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    used: set[str] = set()
    about = workbook.create_sheet(title=_sheet_title(_("About"), used))
    for line in readme.splitlines():
        about.append([_cell_value(line)])
    for table in tables:
        sheet = workbook.create_sheet(title=_sheet_title(table.title, used))
        sheet.append([_cell_value(label) for _key, label in table.columns])
        for row in table.rows:
            cells = []
            for key, _label in table.columns:
                value = _cell_value(row.get(key))
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    # Text stays text: nothing a person typed runs as a formula.
                    cell.data_type = "s"
                    cell.number_format = "@"
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def person_zip(*, user, now: dt.datetime | None = None) -> bytes:
    now = now or timezone.now()
    tables = person_tables(user=user)
    readme = readme_text(user=user, now=now)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(README_NAME, readme)
        for table in tables:
            payload = {
                "kind": table.key,
                "title": table.title,
                "columns": dict(table.columns),
                "rows": table.rows,
            }
            archive.writestr(
                f"{table.key}.json",
                json.dumps(payload, ensure_ascii=False, indent=2),
            )
        archive.writestr(WORKBOOK_NAME, tables_workbook(tables, readme=readme))
    return buffer.getvalue()

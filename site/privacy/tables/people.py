"""Tables about the person: account, villages, household, messages, audit log."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.phones import display_phone
from privacy.tables.format import HOUSEHOLD, VILLAGE, columns, when


def _account(ctx) -> list[dict]:
    user = ctx["user"]
    return [
        {
            "name": user.name,
            "phone": display_phone(user.phone) if user.phone else "",
            "phone_verified": user.phone_verified,
            "email": user.email,
            "other_emails": [e.email for e in ctx["emails"] if e.email != user.email],
            "joined": when(user.date_joined),
            "last_login": when(user.last_login),
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
            "verified": when(m.verified_at),
            "joined": when(m.joined_at),
            "left": when(m.left_at),
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


def _notifications(ctx) -> list[dict]:
    return [
        {
            "village": n.village.name if n.village_id else "",
            "kind": n.get_kind_display(),
            "title": n.title,
            "text": n.body,
            "link": n.url,
            "sent": when(n.created_at),
            "read": when(n.read_at),
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
            "when": when(a.created_at),
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


TABLES: dict[str, tuple[list[tuple[str, Any]], Any]] = {
    "account": (
        columns(
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
        columns(
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
        columns(("area", gettext_lazy("Area")), ("kind", gettext_lazy("Kind"))),
        _supervision,
    ),
    "household": (
        columns(
            VILLAGE,
            HOUSEHOLD,
            ("name", gettext_lazy("Name")),
            ("relation", gettext_lazy("Relation")),
            ("roles", gettext_lazy("Roles")),
            ("is_you", gettext_lazy("You")),
        ),
        _household,
    ),
    "notifications": (
        columns(
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
        columns(
            ("kind", gettext_lazy("Kind")),
            ("delivery", gettext_lazy("Delivery")),
            ("channel", gettext_lazy("Channel")),
        ),
        _message_settings,
    ),
    "audit": (
        columns(
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

"""Tables of what the person did: comments, topics, co-signatures, votes taken
part in (never a choice), ratings, reports and "me too"."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from privacy.tables.format import VILLAGE, columns, day, name, village, when


def _comments(ctx) -> list[dict]:
    return [
        {
            "village": c.topic.village.name,
            "topic": c.topic.title,
            "written": when(c.created_at),
            "edited": when(c.edited_at),
            "text": c.body,
            "earlier_versions": [
                f"{when(r.replaced_at)}: {r.body}" for r in c.revisions.all()
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
            "village": village(t),
            "title": t.title,
            "origin": t.get_origin_display(),
            "phase": t.get_phase_display(),
            "created": when(t.created_at),
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
            "when": when(c.created_at),
        }
        for c in ctx["cosignatures"]
    ]


def _comment_flags(ctx) -> list[dict]:
    return [
        {
            "village": f.comment.topic.village.name,
            "topic": f.comment.topic.title,
            "comment": f.comment_id,
            "when": when(f.created_at),
        }
        for f in ctx["flags"]
    ]


def _participations(ctx) -> list[dict]:
    return [
        {
            "village": p.vote.village.name,
            "topic": p.vote.topic.title,
            "vote": p.vote.question,
            "day": day(p.voted_on),
            "secret_ballot": p.vote.is_secret,
            "for_household": p.per_household,
            "paper_ballot": p.is_paper,
            "recorded_by": name(p.recorded_by) if p.is_paper else "",
            "consent": p.consent_note,
        }
        for p in ctx["participations"]
    ]


def _paper_ballots_recorded(ctx) -> list[dict]:
    return [
        {
            "village": row["vote__village__name"],
            "vote": row["vote__question"],
            "day": day(row["voted_on"]),
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
            "when": when(r.created_at),
        }
        for r in ctx["ratings"]
    ]


def _reports(ctx) -> list[dict]:
    return [
        {
            "village": village(r),
            "number": r.number,
            "kind": r.get_kind_display(),
            "status": r.get_status_display(),
            "filed": when(r.filed_at),
            "text": r.text,
            "place": r.place,
            "latitude": str(r.latitude) if r.latitude is not None else None,
            "longitude": str(r.longitude) if r.longitude is not None else None,
            "public": r.is_public,
            "answer": r.answer,
            "answered": when(r.closed_at),
            "rating": r.get_rating_display() if r.rating else "",
            "rating_comment": r.rating_comment,
            "photos": [
                f"{p.image.name.rsplit('/', 1)[-1]} ({p.width}×{p.height})"
                for p in r.photos.all()
            ],
            "steps": [f"{when(e.at)} {e.get_kind_display()}" for e in r.events.all()],
        }
        for r in ctx["reports"]
    ]


def _me_too(ctx) -> list[dict]:
    return [
        {
            "village": m.report.village.name,
            "report": m.report.number,
            "when": when(m.at),
        }
        for m in ctx["me_too"]
    ]


TABLES: dict[str, tuple[list[tuple[str, Any]], Any]] = {
    "comments": (
        columns(
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
        columns(
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
        columns(
            VILLAGE, ("topic", gettext_lazy("Topic")), ("when", gettext_lazy("When"))
        ),
        _cosignatures,
    ),
    "comment_flags": (
        columns(
            VILLAGE,
            ("topic", gettext_lazy("Topic")),
            ("comment", gettext_lazy("Comment number")),
            ("when", gettext_lazy("When")),
        ),
        _comment_flags,
    ),
    "participations": (
        columns(
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
        columns(
            VILLAGE,
            ("vote", gettext_lazy("Vote")),
            ("day", gettext_lazy("Day")),
            ("count", gettext_lazy("Ballots")),
        ),
        _paper_ballots_recorded,
    ),
    "ratings": (
        columns(
            VILLAGE,
            ("topic", gettext_lazy("Topic")),
            ("stars", gettext_lazy("Stars")),
            ("comment", gettext_lazy("Comment")),
            ("when", gettext_lazy("When")),
        ),
        _ratings,
    ),
    "reports": (
        columns(
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
        columns(
            VILLAGE,
            ("report", gettext_lazy("Report")),
            ("when", gettext_lazy("When")),
        ),
        _me_too,
    ),
}

"""A person's data in one zip: a JSON file per kind, the same tables as the sheets
of one workbook, and a README that says what is in it and what cannot be."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from privacy import selectors
from privacy.tables import KINDS, TABLES, Table
from privacy.tables.format import when
from spreadsheets.exports import XlsxWriter

WORKBOOK_NAME = "data.xlsx"
README_NAME = "README.txt"


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
        % {"when": when(now), "name": user.display_name},
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
    return value


def tables_workbook(tables: Iterable[Table], *, readme: str) -> bytes:
    writer = XlsxWriter()
    about = writer.sheet(_("About"))
    for line in readme.splitlines():
        about.row([line])
    for table in tables:
        sheet = writer.sheet(table.title)
        sheet.row([label for _key, label in table.columns])
        for row in table.rows:
            sheet.row([_cell_value(row.get(key)) for key, _label in table.columns])
    return writer.bytes()


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

"""Reads of the roster app. Every function takes the village."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from roster.checking import error_message
from roster.columns import HEADERS
from roster.models import RosterImport
from villages.models import Membership, Village
from villages.selectors import village_members


def roster_for_export(*, village: Village) -> QuerySet[Membership]:
    return village_members(village=village)


def roster_imports_for_village(*, village: Village) -> QuerySet[RosterImport]:
    return RosterImport.objects.filter(village=village).select_related("uploaded_by")


def roster_import_for_village(*, village: Village, pk: int) -> RosterImport:
    """One import of this village, or 404: another village's import does not exist."""
    return get_object_or_404(
        RosterImport.objects.select_related("village", "uploaded_by", "confirmed_by"),
        village=village,
        pk=pk,
    )


def roster_import_problems(*, roster_import: RosterImport) -> list[dict]:
    """The report's rows, with messages in the reader's language."""
    return [
        {
            "row": problem.get("row"),
            "column": HEADERS.get(problem.get("column") or "", ""),
            "message": error_message(problem.get("code", ""), problem.get("params")),
        }
        for problem in roster_import.errors
    ]

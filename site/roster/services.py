"""Writes of the roster app: checking an upload, confirming it, running it, exporting."""

from __future__ import annotations

import io
import logging
from functools import partial

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from audit.services import audit_log
from roster import progress
from roster.checking import Problems, check_rows
from roster.exports import roster_workbook
from roster.models import RosterImport
from roster.planning import RosterPlan, apply_plan, plan_roster
from roster.reading import RosterFileError, RosterSheet, read_roster
from villages.models import Grid, Village
from villages.services import village_sync_cms_access

logger = logging.getLogger(__name__)

Status = RosterImport.Status


def _check(*, village: Village, sheet: RosterSheet) -> tuple[RosterPlan, Problems]:
    problems = Problems()
    grid_names = set(
        Grid.objects.filter(village=village).values_list("name", flat=True)
    )
    people = check_rows(sheet.rows, grid_names=grid_names, problems=problems)
    plan = plan_roster(village=village, people=people, problems=problems)
    return plan, problems


@transaction.atomic
def roster_import_create(*, village: Village, by, upload: UploadedFile) -> RosterImport:
    """Read and check an uploaded roster; nothing in the village changes yet.

    Raises RosterFileError when the upload is not a readable roster at all; a
    roster with bad rows is kept with status `invalid` and its report.
    """
    sheet = read_roster(upload)
    plan, problems = _check(village=village, sheet=sheet)
    upload.seek(0)
    roster_import = RosterImport(
        village=village,
        uploaded_by=by,
        original_name=(upload.name or "")[:200],
        total_rows=len(sheet.rows),
        status=Status.INVALID if problems else Status.VALIDATED,
        errors=problems.sorted(),
        summary={} if problems else plan.summary(),
    )
    roster_import.file.save("roster.xlsx", upload, save=False)
    roster_import.save()
    return roster_import


@transaction.atomic
def roster_import_confirm(*, roster_import: RosterImport, by) -> bool:
    """Queue a checked import. False if it was not waiting for confirmation (a
    second click, a second tab): only one confirmation ever queues it."""
    from roster.tasks import run_roster_import

    claimed = RosterImport.objects.filter(
        pk=roster_import.pk, village=roster_import.village, status=Status.VALIDATED
    ).update(status=Status.QUEUED, confirmed_by=by)
    if not claimed:
        return False
    # After the commit, so that a worker never picks up an import still "validated".
    transaction.on_commit(partial(run_roster_import.enqueue, roster_import.pk))
    return True


def roster_import_run(*, import_id: int) -> RosterImport | None:
    """Run a queued import (the background task calls this).

    Claims the import (queued → running) with a conditional update, so a task
    delivered twice runs once; checks the file again against the village as it is
    now; then writes every row in one transaction.
    """
    claimed = RosterImport.objects.filter(pk=import_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now(), processed_rows=0
    )
    if not claimed:
        return None
    roster_import = RosterImport.objects.select_related("village", "confirmed_by").get(
        pk=import_id
    )
    try:
        with roster_import.file.open("rb") as stored:
            sheet = read_roster(io.BytesIO(stored.read()))
    except (RosterFileError, OSError):
        logger.warning("roster import %s: stored file unreadable", import_id)
        return _finish(
            roster_import,
            Status.FAILED,
            errors=[{"row": None, "column": "", "code": "unreadable", "params": {}}],
        )
    try:
        with progress.progress_writer(import_id) as report:
            summary = _import(roster_import, sheet, report)
    except Exception:
        logger.exception("roster import %s failed", import_id)
        return _finish(
            roster_import,
            Status.FAILED,
            errors=[{"row": None, "column": "", "code": "failed", "params": {}}],
        )
    finally:
        progress.forget(import_id)
    if summary is None:  # the village changed since the check: report again
        roster_import.refresh_from_db()
    return roster_import


class _Invalid(Exception):
    def __init__(self, problems: Problems):
        self.problems = problems


def _import(roster_import: RosterImport, sheet: RosterSheet, report) -> dict | None:
    village = roster_import.village
    try:
        with transaction.atomic():
            plan, problems = _check(village=village, sheet=sheet)
            if problems:
                raise _Invalid(problems)
            summary = plan.summary()
            apply_plan(plan, progress=report)
            # Committee members edit their village's pages in the Wagtail admin.
            village_sync_cms_access(village=village)
            if plan.has_changes:
                audit_log(
                    actor=roster_import.confirmed_by or roster_import.uploaded_by,
                    action="roster.import",
                    village=village,
                    target=roster_import,
                    after=summary,
                    note=roster_import.original_name,
                )
            _finish(roster_import, Status.DONE, summary=summary)
            return summary
    except _Invalid as invalid:
        _finish(roster_import, Status.INVALID, errors=invalid.problems.sorted())
        return None


def _finish(
    roster_import: RosterImport,
    status: str,
    *,
    summary: dict | None = None,
    errors: list | None = None,
) -> RosterImport:
    roster_import.status = status
    roster_import.finished_at = timezone.now()
    roster_import.processed_rows = (
        roster_import.total_rows if status == Status.DONE else 0
    )
    fields = ["status", "finished_at", "processed_rows"]
    if summary is not None:
        roster_import.summary = summary
        fields.append("summary")
    if errors is not None:
        roster_import.errors = errors
        fields.append("errors")
    roster_import.save(update_fields=fields)
    return roster_import


@transaction.atomic
def roster_export(*, village: Village, by) -> bytes:
    """The village's roster as an .xlsx, in the layout the import reads."""
    content, count = roster_workbook(village=village)
    audit_log(actor=by, village=village, action="roster.export", after={"rows": count})
    return content

"""The rules catalogue in Excel: committees keep it there. Export reads back."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_log
from points.models import RuleBook, RuleCategory, RuleItem
from points.models.catalogue import POINTS_LIMIT
from spreadsheets.exports import XlsxWriter
from spreadsheets.uploads import SheetReader, WorkbookError, fill_merged

COLUMNS = ["类别", "编号", "项目", "分值", "每年上限次数", "需要佐证", "一票否决"]
YES = {"是", "yes", "y", "true", "1", "√", "✓"}
MAX_ROWS = 2000


def catalogue_export(rulebook: RuleBook) -> bytes:
    writer = XlsxWriter()
    sheet = writer.sheet(str(rulebook.year))
    sheet.row(COLUMNS)
    for item in RuleItem.objects.filter(rulebook=rulebook).select_related("category"):
        sheet.row(
            [
                item.category.name,
                item.code,
                item.name,
                item.points,
                item.cap_per_year,
                "是" if item.evidence_required else "",
                "是" if item.is_veto else "",
            ]
        )
    return writer.bytes()


@dataclass
class ImportReport:
    rows: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _text(value) -> str:
    text = "" if value is None else str(value).strip()
    return text[1:] if text.startswith("'") else text


def catalogue_check(data: bytes) -> ImportReport:
    """Read and check every row; report each problem with its row number."""
    report = ImportReport()
    # The kit refuses a zip bomb before unpacking it, and reads the sheet as a
    # stream; a category merged over its items belongs to each of them.
    try:
        reader = SheetReader(
            io.BytesIO(data), max_rows=MAX_ROWS, max_columns=len(COLUMNS)
        )
        rows = list(reader.rows())
    except WorkbookError as error:
        if error.code == "too_many_rows":
            report.errors.append(_("At most %(n)s rows.") % {"n": MAX_ROWS})
        else:
            report.errors.append(_("This is not an Excel file (.xlsx)."))
        return report
    fill_merged(rows, reader.merged)
    unreadable = {row for row, _column in reader.formulas_without_value}
    unreadable |= {row for row, _column in reader.error_values}
    header = [_text(c) for c in rows[0][1]] if rows else []
    if header[: len(COLUMNS)] != COLUMNS:
        report.errors.append(
            _("The first row must be the columns: %(columns)s")
            % {"columns": "、".join(COLUMNS)}
        )
        return report
    codes = set()
    for number, row in rows[1:]:
        cells = [*row, *[None] * len(COLUMNS)][: len(COLUMNS)]
        if number in unreadable:
            report.errors.append(
                _("Row %(row)s: %(problems)s")
                % {
                    "row": number,
                    "problems": _(
                        "a formula has no saved result or ends in an error; "
                        "save the file in Excel or WPS"
                    ),
                }
            )
            continue
        category, code, name, points, cap, evidence, veto = cells
        category, code, name = _text(category), _text(code), _text(name)
        problems = []
        if not category:
            problems.append(_("category is empty"))
        if not code or len(code) > 20:
            problems.append(_("code is empty or too long"))
        elif code in codes:
            problems.append(_("code %(code)s appears twice") % {"code": code})
        if not name or len(name) > 200:
            problems.append(_("item is empty or too long"))
        try:
            points = int(_text(points))
            if points == 0 or abs(points) > POINTS_LIMIT:
                raise ValueError
        except ValueError:
            problems.append(
                _("points must be a whole number from -%(n)s to %(n)s, not 0")
                % {"n": POINTS_LIMIT}
            )
        try:
            cap = int(_text(cap)) if _text(cap) else None
            if cap is not None and not 1 <= cap <= 366:
                raise ValueError
        except ValueError:
            problems.append(_("the yearly limit must be a whole number from 1 to 366"))
        is_veto = _text(veto).lower() in YES
        if is_veto and isinstance(points, int) and points > 0:
            problems.append(_("a veto item must deduct points"))
        if problems:
            report.errors.append(
                _("Row %(row)s: %(problems)s")
                % {"row": number, "problems": "；".join(problems)}
            )
            continue
        codes.add(code)
        report.rows.append(
            {
                "category": category[:60],
                "code": code,
                "name": name,
                "points": points,
                "cap": cap,
                "evidence": _text(evidence).lower() in YES,
                "veto": is_veto,
            }
        )
    if not report.rows and not report.errors:
        report.errors.append(_("The file has no items."))
    return report


@transaction.atomic
def catalogue_import(
    *,
    village,
    year: int,
    rows: list[dict],
    by,
    adopted_by: str = "",
    adopted_on=None,
    minutes=None,
) -> RuleBook:
    """Replace the year's items (only while no entry uses them)."""
    book, _created = RuleBook.objects.get_or_create(
        village=village,
        year=year,
        defaults={
            "title": _("Rules %(year)s") % {"year": year},
            "adopted_by": adopted_by,
            "adopted_on": adopted_on,
        },
    )
    if RuleItem.objects.filter(rulebook=book, entries__isnull=False).exists():
        from points.services.errors import PointsError

        raise PointsError(
            _(
                "Entries already use the %(year)s rules: adopt a new year's rules instead."
            )
            % {"year": year}
        )
    if adopted_by:
        book.adopted_by = adopted_by
    if adopted_on:
        book.adopted_on = adopted_on
    if minutes:
        book.minutes.save(
            f"minutes-{village.pk}-{year}-{minutes.name}"[-100:], minutes, save=False
        )
    book.save()
    RuleItem.objects.filter(rulebook=book).delete()
    RuleCategory.objects.filter(rulebook=book).delete()
    categories: dict[str, RuleCategory] = {}
    items = []
    for order, row in enumerate(rows):
        if row["category"] not in categories:
            categories[row["category"]] = RuleCategory.objects.create(
                rulebook=book, name=row["category"], order=len(categories)
            )
        items.append(
            RuleItem(
                rulebook=book,
                category=categories[row["category"]],
                code=row["code"],
                name=row["name"],
                points=row["points"],
                cap_per_year=row["cap"],
                evidence_required=row["evidence"],
                is_veto=row["veto"],
                order=order,
            )
        )
    RuleItem.objects.bulk_create(items)
    audit_log(
        actor=by,
        action="points.rules_import",
        village=village,
        target=book,
        after={"items": len(items)},
    )
    return book

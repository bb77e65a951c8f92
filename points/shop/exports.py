"""A shop's monthly statement as an Excel workbook."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from roster.columns import neutralize


def statement_workbook(statement) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = f"{statement.first:%Y-%m}"
    sheet.append(
        [neutralize(statement.shop.name), f"{statement.first} – {statement.last}"]
    )
    sheet.append(
        [
            _("Time"),
            _("Voucher"),
            _("Household"),
            _("Goods"),
            _("Points"),
            _("Ledger number"),
        ]
    )
    for voucher in statement.vouchers:
        sheet.append(
            [
                timezone.localtime(voucher.ended_at).strftime("%Y-%m-%d %H:%M"),
                voucher.pk,
                neutralize(voucher.household.number),
                neutralize(
                    "、".join(
                        f"{line.product.name} × {line.quantity}"
                        for line in voucher.lines.all()
                    )
                ),
                voucher.points,
                voucher.ledger_transaction.seq if voucher.ledger_transaction else None,
            ]
        )
    sheet.append([])
    sheet.append([_("Total points"), statement.points])
    sheet.append([_("Yuan per point"), float(statement.rate)])
    sheet.append([_("Yuan owed"), float(statement.yuan)])
    if statement.settlement:
        sheet.append(
            [
                _("Settled"),
                timezone.localtime(statement.settlement.settled_at).strftime(
                    "%Y-%m-%d %H:%M"
                ),
                neutralize(str(statement.settlement.settled_by)),
            ]
        )
    for column, width in zip("ABCDEF", (18, 10, 14, 40, 10, 12), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

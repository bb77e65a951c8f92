"""A shop's monthly statement as an Excel workbook."""

from __future__ import annotations

from django.utils.translation import gettext as _

from spreadsheets.exports import XlsxWriter


def statement_workbook(statement) -> bytes:
    writer = XlsxWriter()
    sheet = writer.sheet(f"{statement.first:%Y-%m}", widths=(18, 10, 14, 40, 10, 12))
    sheet.row([statement.shop.name, f"{statement.first} – {statement.last}"])
    sheet.row(
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
        sheet.row(
            [
                voucher.ended_at,
                voucher.pk,
                voucher.household.number,
                "、".join(
                    f"{line.product.name} × {line.quantity}"
                    for line in voucher.lines.all()
                ),
                voucher.points,
                voucher.ledger_transaction.seq if voucher.ledger_transaction else None,
            ]
        )
    sheet.row([])
    sheet.row([_("Total points"), statement.points])
    sheet.row([_("Yuan per point"), float(statement.rate)])
    sheet.row([_("Yuan owed"), float(statement.yuan)])
    if statement.settlement:
        sheet.row(
            [
                _("Settled"),
                statement.settlement.settled_at,
                str(statement.settlement.settled_by),
            ]
        )
    return writer.bytes()

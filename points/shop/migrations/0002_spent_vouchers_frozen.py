"""A spent voucher is a receipt: the database refuses to change it or its lines,
or to add a line to it, whoever connects. What it says is also in the ledger's
hash chain (``points.seals.receipt``), which ``ledger_verify`` checks."""

from django.db import migrations

from points.guards import freeze, unfreeze

LINE_FROZEN = (
    "EXISTS (SELECT 1 FROM shop_voucher v WHERE v.id = {row}.voucher_id "
    "AND v.status = 'spent')"
)


def forwards(apps, schema_editor):
    freeze(schema_editor, "shop_voucher", frozen="OLD.status = 'spent'")
    freeze(
        schema_editor,
        "shop_voucherline",
        frozen=LINE_FROZEN.format(row="OLD"),
        frozen_insert=LINE_FROZEN.format(row="NEW"),
    )


def backwards(apps, schema_editor):
    unfreeze(schema_editor, "shop_voucherline")
    unfreeze(schema_editor, "shop_voucher")


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

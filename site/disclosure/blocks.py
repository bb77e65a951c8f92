"""Disclosure-only blocks: the 三资 register (collective funds, assets, resources)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from cms_home.blocks import ContentBlocks

MAX_BOOK_VALUE = Decimal("10000000000")  # 100亿元: anything above is a typing error


class AssetKind(blocks.ChoiceBlock):
    choices = [
        ("funds", _("Collective funds")),
        ("assets", _("Collective assets")),
        ("resources", _("Collective resources")),
    ]


class AssetRowBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Item"), max_length=80)
    quantity = blocks.CharBlock(
        label=_("Quantity"), max_length=40, required=False, help_text=_("e.g. 12.5 亩")
    )
    location = blocks.CharBlock(label=_("Location"), max_length=80, required=False)
    book_value = blocks.DecimalBlock(
        label=_("Book value (yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0")),
            MaxValueValidator(MAX_BOOK_VALUE),
        ],
    )
    status = blocks.CharBlock(
        label=_("Use or contract"), max_length=120, required=False
    )

    class Meta:
        icon = "list-ul"
        template = "disclosure/blocks/asset_row.html"
        label = _("Register row")
        preview_value = {
            "name": "村集体鱼塘",
            "quantity": "18 亩",
            "location": "村东",
            "book_value": Decimal("120000.00"),
            "status": "承包至2028年，年租金9,000元",
        }


class AssetRegisterBlock(blocks.StructBlock):
    """三资 report: one kind of collective property with a computed total."""

    kind = AssetKind(label=_("Kind"))
    as_of = blocks.DateBlock(label=_("As of"))
    rows = blocks.ListBlock(AssetRowBlock(), label=_("Rows"))

    class Meta:
        icon = "list-ul"
        template = "disclosure/blocks/asset_register.html"
        label = _("Funds, assets and resources register")
        preview_value = {
            "kind": "assets",
            "as_of": "2026-09-30",
            "rows": [
                {
                    "name": "村委会办公楼",
                    "quantity": "1 栋",
                    "location": "村中心",
                    "book_value": Decimal("860000.00"),
                    "status": "自用",
                }
            ],
        }
        description = _("三资: collective funds, assets or resources, with a total.")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["kind_label"] = dict(AssetKind.choices).get(value["kind"], "")
        context["total"] = sum(
            (row["book_value"] or Decimal(0) for row in value["rows"]), Decimal(0)
        )
        return context


class DisclosureBlocks(ContentBlocks):
    asset_register = AssetRegisterBlock()

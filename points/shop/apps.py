from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopConfig(AppConfig):
    name = "points.shop"
    label = "shop"
    verbose_name = _("Points shop")

    def ready(self) -> None:
        from audit.actions import register_actions
        from points.shop import rules  # noqa: F401  (registers the permissions)
        from points.shop.verify import receipts_check
        from points.verify import register_record_check

        register_record_check("shop.receipts", receipts_check)

        try:
            from cms_home.slots import HomeSlot, register_home_slot
        except ImportError:  # the disclosure site is not installed
            pass
        else:
            from points.shop.slots import shop_slot

            register_home_slot(
                HomeSlot(
                    key="shop",
                    title=_("Points shop"),
                    template="shop/home_slot.html",
                    order=30,
                    context=shop_slot,
                )
            )

        register_actions(
            {
                "shop.settings_save": _("Shop settings saved"),
                "shop.shop_save": _("Shop saved"),
                "shop.product_save": _("Shop product saved"),
                "shop.stock_change": _("Shop stock changed"),
                "shop.voucher_redeem": _("Voucher redeemed"),
                "shop.statement_settle": _("Shop statement settled"),
                "shop.card_issue": _("Household card issued"),
                "shop.card_revoke": _("Household card revoked"),
                "shop.card_locked": _("Household card locked after wrong PINs"),
            }
        )

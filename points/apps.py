from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "points"
    label = "points"
    verbose_name = _("Points")

    def ready(self) -> None:
        from audit.actions import register_actions
        from points import rules  # noqa: F401  (registers the permissions)

        try:
            from cms_home.slots import HomeSlot, register_home_slot
        except ImportError:  # the disclosure site is not installed
            pass
        else:
            from points.slots import red_list_slot

            register_home_slot(
                HomeSlot(
                    key="red_list",
                    title=_("Red list"),
                    template="points/home_slot.html",
                    order=20,
                    context=red_list_slot,
                )
            )

        register_actions(
            {
                "points.entry_record": _("Points entry recorded"),
                "points.entry_approve": _("Points entry approved"),
                "points.entry_reject": _("Points entry rejected"),
                "points.entry_reverse": _("Points entry reversed"),
                "points.appeal_decide": _("Appeal decided"),
                "points.rules_import": _("Rules catalogue imported"),
                "points.rules_save": _("Rules catalogue saved"),
                "points.settings_save": _("Points settings changed"),
                "points.list_draft": _("Red and black list drafted"),
                "points.list_notify": _("Households told before the black list"),
                "points.line_review": _("Black list line reviewed"),
                "points.list_publish": _("Red and black list published"),
                "points.repair_verify": _("Credit repair task verified"),
                "points.credit_export": _("Credit households exported"),
            }
        )

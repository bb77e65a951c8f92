from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    label = "reports"
    verbose_name = _("Reports and requests")

    def ready(self) -> None:
        from audit.actions import register_actions

        try:
            from cms_home.slots import HomeSlot, register_home_slot
        except ImportError:  # the disclosure site is not installed
            pass
        else:
            from reports.slots import reports_slot

            register_home_slot(
                HomeSlot(
                    key="reports",
                    title=_("Reports and requests"),
                    template="reports/home_slot.html",
                    order=40,
                    context=reports_slot,
                )
            )

        from deliberation.origins import register_topic_origins
        from reports.selectors import report_origins_of_topic

        register_topic_origins(report_origins_of_topic)

        register_actions(
            {
                "reports.assign": _("Report assigned"),
                "reports.chase": _("Report chased"),
                "reports.progress": _("Progress posted on a report"),
                "reports.close": _("Report answered"),
                "reports.reopen": _("Report reopened after a dissatisfied rating"),
                "reports.escalate": _("Report escalated to the township"),
                "reports.to_topic": _("Report made a deliberation topic"),
                "reports.award": _("Report proposed for points"),
                "reports.department_add": _("Department added for reports"),
                "reports.department_retire": _("Department no longer used"),
                "reports.settings": _("Report settings changed"),
            }
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        # Actions taken in the Wagtail and Django admins reach the audit log.
        from audit import bridges

        bridges.connect()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the installation: backups that restore on a fresh machine, and the
    health check that a load balancer or monitor asks."""

    name = "operations"
    label = "operations"
    verbose_name = _("Operations")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsHomeConfig(AppConfig):
    name = "cms_home"
    label = "cms_home"
    verbose_name = _("Village sites")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cms_home import signals, slots

        signals.connect()
        slots.register_defaults()

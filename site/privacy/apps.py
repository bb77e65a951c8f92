from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """A person's data rights (PIPL): a copy of their data, and erasure when they
    leave the village."""

    name = "privacy"
    label = "privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        from audit.actions import register_actions

        register_actions(
            {
                "privacy.export": _("Downloaded their personal data"),
                "privacy.person_remove": _("Person removed from the village"),
            }
        )

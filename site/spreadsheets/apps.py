from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpreadsheetsConfig(AppConfig):
    """Files committees bring in and take out: every workbook or CSV the site
    writes goes through `spreadsheets.exports`, every uploaded workbook is opened
    through `spreadsheets.uploads`. Ground floor: it knows no app above it."""

    name = "spreadsheets"
    label = "spreadsheets"
    verbose_name = _("Spreadsheets")

    def ready(self):
        from spreadsheets.exports import guard_wagtail_exports

        guard_wagtail_exports()

"""Admin forms: clear errors for what people type wrong, never a server error."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm


class FinanceReportForm(WagtailAdminPageForm):
    """The period must make sense and every row must fall inside it."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
            return cleaned
        rows = self.formsets.get("rows")
        if rows is None or not (start and end):
            return cleaned
        rows.is_valid()  # clean the rows now, so their dates can be checked here
        for form in rows.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            day = form.cleaned_data.get("date")
            if day and not (start <= day <= end):
                form.add_error(
                    "date", _("This date is outside the period of the report.")
                )
        return cleaned

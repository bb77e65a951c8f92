from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# A roster of 20,000 people is well under 2 MB; anything near this is not a roster.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024

XLSX_TYPES = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file (.xlsx)"),
        help_text=_(
            "The first row names the columns: 姓名, 手机号, 户号, 与户主关系, "
            "出生年份, 网格, 角色."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": XLSX_TYPES}),
        error_messages={
            "required": _("Choose the roster file to upload."),
            "empty": _("The file is empty."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)s). A roster may be at most %(max)s.")
                % {
                    "size": filesizeformat(upload.size),
                    "max": filesizeformat(MAX_UPLOAD_BYTES),
                },
                code="too_large",
            )
        return upload

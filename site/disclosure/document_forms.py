"""The document upload form (WAGTAILDOCS_DOCUMENT_FORM_BASE). Its own module: Wagtail
imports it while it loads the document model, before the page models exist."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from wagtail.documents.forms import BaseDocumentForm


class DocumentForm(BaseDocumentForm):
    """Attachments: the extension list is WAGTAILDOCS_EXTENSIONS; this adds a size cap
    and a check of the content (villages.uploads.document_check). A village's
    committee puts no tags on them (cms_home.image_forms.drop_tags_unless_township)."""

    def __init__(self, *args, **kwargs):
        from cms_home.image_forms import drop_tags_unless_township

        user = kwargs.get("user")
        super().__init__(*args, **kwargs)
        drop_tags_unless_township(self, user)

    def clean_file(self):
        from villages.uploads import document_check

        file = self.cleaned_data.get("file")
        limit = settings.MAX_UPLOAD_BYTES
        if file is not None and getattr(file, "size", 0) > limit:
            raise forms.ValidationError(
                _("This file is too large: the limit is %(limit)s.")
                % {"limit": filesizeformat(limit)}
            )
        # A new upload is checked by its content (an unchanged file is None here
        # or the stored file, which was checked when it came).
        if file is not None and hasattr(file, "content_type"):
            # A picture comes back re-encoded: no location, camera or comments.
            file = document_check(file, extensions=set(settings.WAGTAILDOCS_EXTENSIONS))
        return file

"""The image form (WAGTAILIMAGES_IMAGE_FORM_BASE). Its own module: Wagtail imports it
when it builds the form, and it needs nothing of the page models."""

from pathlib import PurePosixPath

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _

from wagtail.images.forms import BaseImageForm

from villages.images import ImageRefused, image_reencode


def drop_tags_unless_township(form, user) -> None:
    """Tags are one vocabulary for the whole installation, and Wagtail shows the
    most used ones to every village (listing filters, image chooser, autocomplete):
    only those who see every village may make them (cms_home.admin_scope)."""
    from cms_home.admin_scope import sees_every_village

    if user is None or not sees_every_village(user):
        form.fields.pop("tags", None)


class ImageForm(BaseImageForm):
    """Every way an image enters the admin (add, add several, the chooser's upload,
    replacing the file) goes through this form: the original is stored as its
    pixels only (villages.images), so no rendition made from it can carry where a
    photo was taken either."""

    def __init__(self, *args, **kwargs):
        user = kwargs.get("user")
        super().__init__(*args, **kwargs)
        drop_tags_unless_township(self, user)

    def clean_file(self):
        file = self.cleaned_data.get("file")
        # A new upload carries a content type; an unchanged image is the stored file.
        if file is None or not hasattr(file, "content_type"):
            return file
        file.seek(0)
        try:
            clean = image_reencode(file.read())
        except ImageRefused as error:
            raise forms.ValidationError(
                _("This file is not the picture it says it is."), code="invalid_image"
            ) from error
        name = PurePosixPath(file.name or "image").name
        cleaned = SimpleUploadedFile(
            name, clean.data, content_type=f"image/{clean.format.lower()}"
        )
        return cleaned

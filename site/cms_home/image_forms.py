"""The image form (WAGTAILIMAGES_IMAGE_FORM_BASE). Its own module: Wagtail imports it
when it builds the form, and it needs nothing of the page models."""

from wagtail.images.forms import BaseImageForm


def drop_tags_unless_township(form, user) -> None:
    """Tags are one vocabulary for the whole installation, and Wagtail shows the
    most used ones to every village (listing filters, image chooser, autocomplete):
    only those who see every village may make them (cms_home.admin_scope)."""
    from cms_home.admin_scope import sees_every_village

    if user is None or not sees_every_village(user):
        form.fields.pop("tags", None)


class ImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        user = kwargs.get("user")
        super().__init__(*args, **kwargs)
        drop_tags_unless_township(self, user)

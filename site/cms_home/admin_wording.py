"""Better Chinese for a few phrases of Wagtail's admin that committees press every
day. Our catalogue comes before Wagtail's (LOCALE_PATHS), and marking the phrases
here keeps them in it when the catalogue is refreshed from the code."""

from django.utils.translation import gettext_noop

WAGTAIL_PHRASES = [
    # Wagtail: "通过 和发布" for the approver's button.
    gettext_noop("%(label)s and Publish"),
    # Wagtail: "增加 行" under an inline panel, with a space Chinese does not use.
    gettext_noop("Add %(label)s"),
]

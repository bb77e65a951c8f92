"""Every publication passes through Wagtail's publish log, whoever or whatever
published (an editor, a workflow approval, ``publish_scheduled``); listening to that
one place keeps the public history complete without patching each path."""

from __future__ import annotations

from django.db.models.signals import post_save

PUBLISH_ACTIONS = {"wagtail.publish", "wagtail.publish.scheduled"}


def on_page_log_entry(sender, instance, created, raw=False, **kwargs) -> None:
    if raw or not created or instance.action not in PUBLISH_ACTIONS:
        return
    from wagtail.models import Page

    from cms_home.records import PublicRecordMixin
    from cms_home.services import publication_record

    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None or not issubclass(page.specific_class, PublicRecordMixin):
        return
    publication_record(page=page, revision=instance.revision, by=instance.user)


def connect() -> None:
    from wagtail.models import PageLogEntry

    post_save.connect(
        on_page_log_entry, sender=PageLogEntry, dispatch_uid="cms_home.publish_log"
    )

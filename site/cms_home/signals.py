"""Every publication passes through Wagtail's publish log, whoever or whatever
published (an editor, a workflow approval, ``publish_scheduled``); listening to that
one place keeps the public history complete without patching each path."""

from __future__ import annotations

from django.db.models.signals import post_save

PUBLISH_ACTIONS = {"wagtail.publish", "wagtail.publish.scheduled"}


def on_page_log_entry(sender, instance, created, raw=False, **kwargs) -> None:
    if raw or not created:
        return
    from cms_home.cache import public_pages_changed

    public_pages_changed()
    if instance.action == "wagtail.unpublish.scheduled":
        _expired(instance)
    if instance.action not in PUBLISH_ACTIONS:
        return
    from wagtail.models import Page

    from cms_home.records import PublicRecordMixin
    from cms_home.services import publication_record

    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None or not issubclass(page.specific_class, PublicRecordMixin):
        return
    publication_record(page=page, revision=instance.revision, by=instance.user)


def _expired(entry) -> None:
    """A page whose display period ended (expire_at) leaves the same public trace as
    one taken down by hand."""
    from django.conf import settings
    from django.utils import translation
    from django.utils.translation import gettext

    from wagtail.models import Page

    from cms_home.records import PublicRecordMixin
    from cms_home.services import withdrawal_record

    page = Page.objects.filter(pk=entry.page_id).first()
    if page is None or not issubclass(page.specific_class, PublicRecordMixin):
        return
    with translation.override(settings.LANGUAGE_CODE):
        reason = gettext("The display period ended.")
    withdrawal_record(page=page, reason=reason, by=None)


def on_task_submitted(sender, instance, user=None, **kwargs) -> None:
    """Tell the approvers (the committee head) in their inbox that a page waits."""
    from cms_home.services import approvers_tell

    approvers_tell(task_state=instance, submitted_by=user)


def connect() -> None:
    from wagtail.models import PageLogEntry
    from wagtail.signals import task_submitted

    post_save.connect(
        on_page_log_entry, sender=PageLogEntry, dispatch_uid="cms_home.publish_log"
    )
    task_submitted.connect(on_task_submitted, dispatch_uid="cms_home.task_submitted")

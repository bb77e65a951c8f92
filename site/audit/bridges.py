"""Privileged actions taken in the two admins reach our audit log.

Wagtail writes every admin action to its own log (``PageLogEntry`` for pages,
``ModelLogEntry`` for users, groups, images, documents, snippets and settings) and
the Django admin writes ``LogEntry`` on every add, change and delete, whichever
view, workflow step or command did it. Listening to those three tables catches
every path without patching each view. What our services already record with more
detail (a public record's publication and withdrawal, see cms_home.services) is not
recorded twice.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

# Page actions that change what the public sees or who may act: not draft saves.
PAGE_ACTIONS = {
    "wagtail.publish",
    "wagtail.publish.scheduled",
    "wagtail.unpublish",
    "wagtail.unpublish.scheduled",
    "wagtail.delete",
    "wagtail.move",
    "wagtail.copy",
    "wagtail.revert",
    "wagtail.schedule.publish",
    "wagtail.schedule.cancel",
    "wagtail.workflow.approve",
    "wagtail.workflow.reject",
    "wagtail.workflow.cancel",
    "wagtail.view_restriction.create",
    "wagtail.view_restriction.edit",
    "wagtail.view_restriction.delete",
}
# cms_home.services records these for public records (notices, disclosures, finance
# reports) with the version and the reason.
RECORDED_BY_SERVICES = {
    "wagtail.publish",
    "wagtail.publish.scheduled",
    "wagtail.unpublish",
    "wagtail.unpublish.scheduled",
}
# Everything done to other objects in the Wagtail admin is an admin action.
MODEL_ACTIONS = {
    "wagtail.create",
    "wagtail.edit",
    "wagtail.delete",
    "wagtail.publish",
    "wagtail.unpublish",
    "wagtail.revert",
}
DJANGO_ADMIN_ACTIONS = {1: "add", 2: "change", 3: "delete"}

ACTION_LABELS = {
    "cms.page.publish": _("Page published (admin)"),
    "cms.page.unpublish": _("Page taken down (admin)"),
    "cms.page.delete": _("Page deleted"),
    "cms.page.move": _("Page moved"),
    "cms.page.copy": _("Page copied"),
    "cms.page.revert": _("Page reverted to an earlier version"),
    "cms.page.schedule.publish": _("Page publication scheduled"),
    "cms.page.schedule.cancel": _("Scheduled publication cancelled"),
    "cms.page.workflow.approve": _("Page approved"),
    "cms.page.workflow.reject": _("Page sent back for changes"),
    "cms.page.workflow.cancel": _("Approval cancelled"),
    "cms.page.view_restriction.create": _("Page access restricted"),
    "cms.page.view_restriction.edit": _("Page access changed"),
    "cms.page.view_restriction.delete": _("Page access restriction removed"),
    "cms.object.create": _("Added in the page admin"),
    "cms.object.edit": _("Changed in the page admin"),
    "cms.object.delete": _("Deleted in the page admin"),
    "cms.object.publish": _("Published in the page admin"),
    "cms.object.unpublish": _("Unpublished in the page admin"),
    "cms.object.revert": _("Reverted in the page admin"),
    "admin.add": _("Added in the system admin"),
    "admin.change": _("Changed in the system admin"),
    "admin.delete": _("Deleted in the system admin"),
}


class _Target:
    """What audit_log needs of a target, for an object that may be gone by now
    (a deletion is logged after the fact)."""

    def __init__(self, label: str, pk, text: str) -> None:
        self._meta = SimpleNamespace(label=label)
        self.pk = pk
        self._text = text

    def __str__(self) -> str:
        return self._text


def _code(action: str, kind: str) -> str:
    return f"cms.{kind}.{action.removeprefix('wagtail.')}"


def _page_village(page_id):
    from wagtail.models import Page

    from cms_home.models import VillagePage

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return None
    village_page = (
        VillagePage.objects.ancestor_of(page, inclusive=True)
        .select_related("village")
        .first()
    )
    return village_page.village if village_page else None


def _collection_village(obj):
    from cms_home.models import VillageCms

    collection_id = getattr(obj, "collection_id", None)
    if collection_id is None:
        return None
    cms = VillageCms.objects.filter(collection_id=collection_id).first()
    return cms.village if cms else None


def on_page_log(sender, instance, created, raw=False, **kwargs) -> None:
    if raw or not created or instance.action not in PAGE_ACTIONS:
        return
    from wagtail.models import Page

    from audit.services import audit_log
    from cms_home.records import PublicRecordMixin

    page = Page.objects.filter(pk=instance.page_id).first()
    if (
        instance.action in RECORDED_BY_SERVICES
        and page is not None
        and issubclass(page.specific_class, PublicRecordMixin)
    ):
        return
    audit_log(
        actor=instance.user,
        action=_code(instance.action, "page"),
        village=_page_village(instance.page_id),
        target=_Target("wagtailcore.Page", instance.page_id, instance.label),
        after=_jsonable_data(instance.data),
        note=instance.label,
    )


def on_model_log(sender, instance, created, raw=False, **kwargs) -> None:
    if raw or not created or instance.action not in MODEL_ACTIONS:
        return
    from audit.services import audit_log

    model = instance.content_type.model_class() if instance.content_type_id else None
    obj = (
        model._default_manager.filter(pk=instance.object_id).first() if model else None
    )
    audit_log(
        actor=instance.user,
        action=_code(instance.action, "object"),
        village=_collection_village(obj) if obj is not None else None,
        target=_Target(
            model._meta.label if model else "", instance.object_id, instance.label
        ),
        after=_jsonable_data(instance.data),
        note=instance.label,
    )


def on_django_admin_log(sender, instance, created, raw=False, **kwargs) -> None:
    if raw or not created:
        return
    from audit.services import audit_log

    model = instance.content_type.model_class() if instance.content_type_id else None
    audit_log(
        actor=instance.user,
        action=f"admin.{DJANGO_ADMIN_ACTIONS.get(instance.action_flag, 'change')}",
        target=_Target(
            model._meta.label if model else "", instance.object_id, instance.object_repr
        ),
        note=instance.get_change_message(),
    )


def _jsonable_data(data):
    return data if isinstance(data, dict) and data else None


def connect() -> None:
    from django.contrib.admin.models import LogEntry

    from wagtail.models import ModelLogEntry, PageLogEntry

    from audit.actions import register_actions

    register_actions(ACTION_LABELS)
    post_save.connect(on_page_log, sender=PageLogEntry, dispatch_uid="audit.page_log")
    post_save.connect(
        on_model_log, sender=ModelLogEntry, dispatch_uid="audit.model_log"
    )
    post_save.connect(
        on_django_admin_log, sender=LogEntry, dispatch_uid="audit.django_admin_log"
    )

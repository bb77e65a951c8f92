"""Writes about the public record: publications and withdrawals, each audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from wagtail.models import Page, Revision

from audit.services import audit_log
from cms_home.models import PublishedVersion, VillagePage, Withdrawal


def _village_of(page: Page):
    village_page = (
        VillagePage.objects.ancestor_of(page, inclusive=True)
        .select_related("village")
        .first()
    )
    return village_page.village if village_page else None


@transaction.atomic
def publication_record(
    *, page: Page, revision: Revision | None, by=None
) -> PublishedVersion:
    """Keep one publication of a page in its public history, audit it, and on a
    notice's first publication tell the village's residents."""
    page = page.specific
    first = not PublishedVersion.objects.filter(page_id=page.pk).exists()
    version = PublishedVersion.objects.create(
        page_id=page.pk,
        revision=revision,
        title=page.title[:255],
        published_at=page.last_published_at or timezone.now(),
        published_by=by if getattr(by, "is_authenticated", False) else None,
    )
    village = _village_of(page)
    audit_log(
        actor=by,
        action="page.publish" if first else "page.republish",
        village=village,
        target=page,
        after={"title": page.title, "revision": revision.pk if revision else None},
        note="" if by else "scheduled",
    )
    from notices.models import NoticePage

    if first and village is not None and isinstance(page, NoticePage):
        _tell_residents(page=page, village=village)
    return version


def _tell_residents(*, page, village) -> None:
    try:
        from notifications.models import Kind
        from notifications.services import notify
    except ImportError:  # the notifications service is not there yet
        return
    from accounts.models import User

    residents = User.objects.filter(
        memberships__village=village,
        memberships__left_at__isnull=True,
        is_active=True,
    ).distinct()
    notify(
        recipients=residents,
        kind=Kind.NOTICE,
        title=page.title,
        body=getattr(page, "summary", ""),
        url=page.url or "",
        village=village,
    )


def approvers_tell(*, task_state, submitted_by=None) -> None:
    """A page was submitted for approval: put it in the approvers' inboxes."""
    from django.urls import reverse
    from django.utils.translation import gettext

    try:
        from notifications.models import Kind
        from notifications.services import notify
    except ImportError:  # the notifications service is not there yet
        return
    from accounts.models import User

    groups = getattr(task_state.task.specific, "groups", None)
    page = task_state.workflow_state.content_object
    if groups is None or not isinstance(page, Page):
        return
    approvers = User.objects.filter(groups__in=groups.all(), is_active=True)
    if submitted_by is not None:
        approvers = approvers.exclude(pk=submitted_by.pk)
    notify(
        recipients=approvers.distinct(),
        kind=Kind.NOTICE,
        title=gettext("Waiting for your approval: %(title)s") % {"title": page.title},
        body=str(submitted_by or ""),
        url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
        village=_village_of(page),
    )


@transaction.atomic
def withdrawal_record(*, page: Page, reason: str, by=None) -> Withdrawal:
    """Leave the public trace of an unpublished page: where it was, why it went."""
    parent = page.get_parent()
    village = _village_of(page)
    withdrawal = Withdrawal.objects.create(
        page=page,
        parent=parent,
        village=village,
        slug=page.slug,
        title=page.title[:255],
        reason=reason,
        withdrawn_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_log(
        actor=by,
        action="page.unpublish",
        village=village,
        target=page,
        before={"title": page.title},
        note=reason,
    )
    return withdrawal


@transaction.atomic
def page_withdraw(*, page: Page, reason: str, by) -> Withdrawal:
    """Unpublish a page with a stated reason (for code; the admin's unpublish view
    asks for the reason and records it through the same function)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("a withdrawal needs a reason")
    page.specific.unpublish(user=by)
    return withdrawal_record(page=page, reason=reason, by=by)

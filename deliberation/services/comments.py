"""Writes: comments, one level of replies, edits, reports and moderation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from deliberation.models import Comment, CommentReport, CommentRevision, Topic
from deliberation.models.comments import COMMENT_MAX
from deliberation.page_cache import topic_changed
from deliberation.selectors import settings_for


def comments_changed(topic_id: int) -> None:
    """Every visible change to a topic's comments renews its cached comment list."""
    Topic.objects.filter(pk=topic_id).update(comments_version=F("comments_version") + 1)
    topic_changed(topic_id)


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write something first."), code="empty")
    if len(body) > COMMENT_MAX:
        raise ValidationError(
            _("A comment can be at most %(max)d characters.") % {"max": COMMENT_MAX},
            code="too_long",
        )
    return body


@transaction.atomic
def comment_add(
    *, topic: Topic, by, body: str, parent: Comment | None = None
) -> Comment:
    """Permission (who, in which phase) is the rule ``deliberation.comment``."""
    body = _clean_body(body)
    if parent is not None:
        if parent.topic_id != topic.pk:
            raise ValidationError(_("That comment is not on this topic."))
        if parent.parent_id is not None:
            # One level: a reply to a reply joins its thread.
            parent = parent.parent
    comment = Comment.objects.create(topic=topic, author=by, body=body, parent=parent)
    comments_changed(topic.pk)
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, by, body: str) -> Comment:
    body = _clean_body(body)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.author_id != by.pk:
        raise ValidationError(_("Only the author can edit a comment."))
    if comment.hidden == Comment.Hidden.COMMITTEE:
        raise ValidationError(_("A hidden comment cannot be edited."))
    if body == comment.body:
        return comment
    CommentRevision.objects.create(comment=comment, body=comment.body)
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    comments_changed(comment.topic_id)
    return comment


@transaction.atomic
def comment_report(*, comment: Comment, by) -> Comment:
    """Anyone may report once; at the village's threshold the comment is hidden
    pending the committee's review."""
    try:
        with transaction.atomic():
            CommentReport.objects.create(comment=comment, reporter=by)
    except IntegrityError:
        raise ValidationError(_("You have already reported this comment.")) from None
    Comment.objects.filter(pk=comment.pk).update(report_count=F("report_count") + 1)
    comment = (
        Comment.objects.select_for_update().select_related("topic").get(pk=comment.pk)
    )
    threshold = settings_for(comment.topic.village).report_threshold
    if not comment.hidden and comment.report_count >= threshold:
        comment.hidden = Comment.Hidden.REPORTS
        comment.hidden_at = timezone.now()
        comment.save(update_fields=["hidden", "hidden_at"])
        comments_changed(comment.topic_id)
    return comment


@transaction.atomic
def comment_hide(*, comment: Comment, by, reason: str) -> Comment:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for hiding the comment."))
    if len(reason) > 200:
        raise ValidationError(_("Keep the reason under 200 characters."))
    comment = (
        Comment.objects.select_for_update()
        .select_related("topic__village")
        .get(pk=comment.pk)
    )
    before = {"hidden": comment.hidden}
    comment.hidden = Comment.Hidden.COMMITTEE
    comment.hidden_reason = reason
    comment.hidden_by = by
    comment.hidden_at = timezone.now()
    comment.save(update_fields=["hidden", "hidden_reason", "hidden_by", "hidden_at"])
    comments_changed(comment.topic_id)
    audit_log(
        actor=by,
        action="deliberation.comment_hide",
        village=comment.topic.village,
        target=comment,
        before=before,
        after={"hidden": comment.hidden},
        note=reason,
    )
    return comment


@transaction.atomic
def comment_restore(*, comment: Comment, by) -> Comment:
    comment = (
        Comment.objects.select_for_update()
        .select_related("topic__village")
        .get(pk=comment.pk)
    )
    before = {"hidden": comment.hidden, "reason": comment.hidden_reason}
    comment.hidden = Comment.Hidden.NO
    comment.hidden_reason = ""
    comment.hidden_by = None
    comment.hidden_at = None
    comment.save(update_fields=["hidden", "hidden_reason", "hidden_by", "hidden_at"])
    comments_changed(comment.topic_id)
    audit_log(
        actor=by,
        action="deliberation.comment_restore",
        village=comment.topic.village,
        target=comment,
        before=before,
        after={"hidden": ""},
    )
    return comment

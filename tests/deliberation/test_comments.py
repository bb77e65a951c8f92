"""Comments: replies one level deep, edits kept, reports hide, committee hides with a reason."""

from django.core.exceptions import ValidationError

import pytest

from audit.models import AuditEntry
from deliberation.models import Comment, CommentRevision, DeliberationSettings
from deliberation.services.comments import (
    comment_add,
    comment_edit,
    comment_hide,
    comment_report,
    comment_restore,
)
from tests.deliberation.factories import residents

pytestmark = pytest.mark.django_db


def test_replies_are_one_level_deep(topic, resident, household_rep):
    first = comment_add(topic=topic, by=resident, body="先修路")
    reply = comment_add(topic=topic, by=household_rep, body="同意", parent=first)
    deeper = comment_add(topic=topic, by=resident, body="谢谢", parent=reply)
    assert reply.parent == first
    assert deeper.parent == first


def test_a_reply_must_be_on_the_same_topic(topic, other_topic, resident):
    elsewhere = comment_add(topic=other_topic, by=resident, body="别处")
    with pytest.raises(ValidationError):
        comment_add(topic=topic, by=resident, body="x", parent=elsewhere)


@pytest.mark.parametrize("body", ["", "   ", "长" * 2001])
def test_empty_or_over_long_comments_write_nothing(topic, resident, body):
    with pytest.raises(ValidationError):
        comment_add(topic=topic, by=resident, body=body)
    assert not Comment.objects.exists()


def test_the_author_edits_and_the_history_stays(topic, resident, household_rep):
    comment = comment_add(topic=topic, by=resident, body="第一稿")
    comment_edit(comment=comment, by=resident, body="第二稿")
    with pytest.raises(ValidationError):
        comment_edit(comment=comment, by=household_rep, body="冒充")
    comment.refresh_from_db()
    assert comment.body == "第二稿" and comment.edited_at
    assert list(CommentRevision.objects.values_list("body", flat=True)) == ["第一稿"]


def test_reports_hide_at_the_threshold_pending_review(village, topic, resident):
    DeliberationSettings.objects.create(village=village, report_threshold=2)
    comment = comment_add(topic=topic, by=resident, body="广告")
    a, b = residents(village, 2)
    comment_report(comment=comment, by=a)
    with pytest.raises(ValidationError):
        comment_report(comment=comment, by=a)
    comment.refresh_from_db()
    assert not comment.is_hidden and comment.report_count == 1
    comment_report(comment=comment, by=b)
    comment.refresh_from_db()
    assert comment.hidden == Comment.Hidden.REPORTS


def test_the_committee_hides_with_a_reason_and_it_is_audited(
    topic, resident, committee
):
    comment = comment_add(topic=topic, by=resident, body="跑题了")
    with pytest.raises(ValidationError):
        comment_hide(comment=comment, by=committee, reason="")
    comment_hide(comment=comment, by=committee, reason="与议题无关")
    comment.refresh_from_db()
    assert comment.hidden == Comment.Hidden.COMMITTEE
    assert comment.hidden_reason == "与议题无关"
    with pytest.raises(ValidationError):
        comment_edit(comment=comment, by=resident, body="改改")
    comment_restore(comment=comment, by=committee)
    comment.refresh_from_db()
    assert not comment.is_hidden
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"deliberation.comment_hide", "deliberation.comment_restore"} <= actions

"""Writes: meetings and decisions, progress, and the residents' evaluation."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.services import audit_log
from deliberation.models import Meeting, Phase, ProgressUpdate, Rating, Topic
from deliberation.page_cache import topic_changed
from deliberation.rules import RATING_PHASES
from deliberation.services.topics import _verified_resident, topic_publish_decision


@transaction.atomic
def meeting_record(
    *,
    topic: Topic,
    by,
    kind: str,
    held_on: dt.date,
    place: str,
    attendance: int,
    required: int,
    minutes: str,
    decision: str = "",
    publish_decision: bool = False,
) -> Meeting:
    topic_changed(topic.pk)
    if kind not in Meeting.Kind.values:
        raise ValidationError(_("Choose the kind of meeting."))
    if attendance < 0 or required < 0:
        raise ValidationError(_("Attendance cannot be negative."))
    meeting = Meeting.objects.create(
        topic=topic,
        kind=kind,
        held_on=held_on,
        place=place,
        attendance=attendance,
        required=required,
        minutes=minutes,
        decision=decision,
        recorded_by=by,
    )
    audit_log(
        actor=by,
        action="deliberation.meeting_record",
        village=topic.village,
        target=meeting,
        after={"attendance": attendance, "required": required, "held_on": held_on},
    )
    if publish_decision and decision.strip():
        topic_publish_decision(topic=topic, by=by, decision=decision)
    return meeting


@transaction.atomic
def progress_add(
    *, topic: Topic, by, percent: int, text: str, photo=None
) -> ProgressUpdate:
    topic_changed(topic.pk)
    if not 0 <= percent <= 100:
        raise ValidationError(_("The percentage is between 0 and 100."))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Say what happened."))
    update = ProgressUpdate.objects.create(
        topic=topic, percent=percent, text=text, author=by, photo=photo or ""
    )
    audit_log(
        actor=by,
        action="deliberation.progress_add",
        village=topic.village,
        target=topic,
        after={"percent": percent},
    )
    if topic.phase == Phase.DECIDED:
        Topic.objects.filter(pk=topic.pk).update(phase=Phase.IN_PROGRESS)
    return update


@transaction.atomic
def rating_add(*, topic: Topic, by, stars: int, comment: str = "") -> Rating:
    topic_changed(topic.pk)
    _verified_resident(by, topic.village)
    if topic.phase not in RATING_PHASES:
        raise ValidationError(_("The result can be rated once the work is done."))
    if not 1 <= stars <= 5:
        raise ValidationError(_("Give from 1 to 5 stars."))
    try:
        with transaction.atomic():
            return Rating.objects.create(
                topic=topic, user=by, stars=stars, comment=comment.strip()[:500]
            )
    except IntegrityError:
        raise ValidationError(_("You have already rated this result.")) from None

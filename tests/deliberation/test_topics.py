"""Topics: the committee's, residents' proposals with co-signing, the answer clock."""

import datetime as dt
from unittest import mock

from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest

from audit.models import AuditEntry
from deliberation.models import DeliberationSettings, Phase, PhaseDate
from deliberation.selectors import answer_countdown, phase_counts
from deliberation.services.topics import (
    topic_answer,
    topic_cosign,
    topic_create,
    topic_propose,
    topic_publish_decision,
    topic_set_phase,
)
from notifications.models import Notification
from tests.deliberation.factories import residents
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_committee_opens_a_topic_and_residents_hear_of_it(
    village, committee, resident
):
    topic = topic_create(
        village=village,
        by=committee,
        title="村口停车场",
        description="要不要把晒谷场改成停车场？",
        phase_dates={Phase.VOTING: (dt.date(2026, 12, 1), dt.date(2026, 12, 7))},
    )
    assert topic.phase == Phase.COLLECTING
    assert set(
        PhaseDate.objects.filter(topic=topic).values_list("phase", flat=True)
    ) == {
        Phase.COLLECTING,
        Phase.VOTING,
    }
    assert Notification.objects.filter(recipient=resident, kind="deliberation").exists()
    assert AuditEntry.objects.filter(action="deliberation.topic_create").exists()


def test_a_proposal_needs_n_cosigners_then_the_committee_has_days_to_answer(
    village, resident, committee
):
    DeliberationSettings.objects.create(
        village=village, cosign_threshold=3, answer_days=10
    )
    proposal = topic_propose(
        village=village, by=resident, title="装路灯", description="晚上太黑。"
    )
    with pytest.raises(ValidationError):
        topic_cosign(topic=proposal, by=resident)  # not one's own
    signers = residents(village, 3)
    start = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=start):
        assert topic_cosign(topic=proposal, by=signers[0]) == 1
        topic_cosign(topic=proposal, by=signers[1])
        proposal.refresh_from_db()
        assert proposal.answer_due is None
        topic_cosign(topic=proposal, by=signers[2])
    proposal.refresh_from_db()
    assert proposal.answer_due == start + dt.timedelta(days=10)
    assert Notification.objects.filter(recipient=committee).exists()
    assert answer_countdown(proposal, now=start + dt.timedelta(days=3, hours=1)) == 7
    # Past the due time it is no countdown ("within 0 days") but overdue.
    assert answer_countdown(proposal, now=start + dt.timedelta(days=11)) is None
    with pytest.raises(ValidationError):
        topic_cosign(topic=proposal, by=signers[0])  # once each


def test_unverified_people_cannot_propose_or_cosign(village, resident):
    unverified = MembershipFactory(village=village, verified_at=None).user
    with pytest.raises(ValidationError):
        topic_propose(village=village, by=unverified, title="x", description="y")
    proposal = topic_propose(village=village, by=resident, title="x", description="y")
    with pytest.raises(ValidationError):
        topic_cosign(topic=proposal, by=unverified)


def test_declining_needs_a_public_reason(village, resident, committee):
    proposal = topic_propose(village=village, by=resident, title="x", description="y")
    with pytest.raises(ValidationError):
        topic_answer(topic=proposal, by=committee, accept=False, answer=" ")
    topic_answer(topic=proposal, by=committee, accept=False, answer="资金今年已用完")
    proposal.refresh_from_db()
    assert proposal.phase == Phase.DECLINED
    assert proposal.answer == "资金今年已用完"
    assert answer_countdown(proposal) is None
    with pytest.raises(ValidationError):
        topic_answer(topic=proposal, by=committee, accept=True)


def test_accepting_puts_it_on_the_agenda(village, resident, committee):
    proposal = topic_propose(village=village, by=resident, title="x", description="y")
    topic_answer(topic=proposal, by=committee, accept=True)
    proposal.refresh_from_db()
    assert proposal.phase == Phase.COLLECTING


def test_phases_move_with_dates_and_are_audited(topic, committee):
    topic_set_phase(topic=topic, by=committee, phase=Phase.VOTING)
    topic_set_phase(topic=topic, by=committee, phase=Phase.DECIDED)
    dates = {d.phase: d for d in PhaseDate.objects.filter(topic=topic)}
    assert dates[Phase.VOTING].ends_on == timezone.localdate()
    assert dates[Phase.DECIDED].starts_on == timezone.localdate()
    assert AuditEntry.objects.filter(action="deliberation.phase_change").count() == 2
    with pytest.raises(ValidationError):
        topic_set_phase(topic=topic, by=committee, phase="nonsense")


def test_publishing_the_decision_marks_the_topic_decided(topic, committee):
    topic_publish_decision(
        topic=topic, by=committee, decision="硬化村东道路，明年三月开工。"
    )
    topic.refresh_from_db()
    assert topic.phase == Phase.DECIDED
    assert topic.decision_published_at


def test_phase_counts(village, topic, committee):
    counts = phase_counts(village=village)
    assert counts[Phase.COLLECTING] == 1
    assert counts[Phase.DONE] == 0

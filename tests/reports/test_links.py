"""A shared suggestion becomes a deliberation topic in one step, keeping the link;
a useful report earns the filer's household points through the ledger's entries."""

import pytest

from audit.models import AuditEntry
from deliberation.models import Topic
from points.models import Entry
from reports import services
from reports.models import ReportEvent
from reports.services import ReportError, report_award_points, report_to_topic
from tests.factories import MembershipFactory, double_tap_window_passes
from tests.points.factories import RuleBookFactory, RuleCategoryFactory, RuleItemFactory
from tests.reports.factories import closed_report, file_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def voices(village):
    return [MembershipFactory(village=village).user for _ in range(3)]


def test_suggestion_with_enough_me_too_becomes_a_topic(
    client, village, resident, committee, voices
):
    services.settings_save(village=village, by=committee, due_days=7, topic_threshold=3)
    report = file_report(
        village,
        resident,
        kind="suggestion",
        text="建议在村口装路灯\n晚上太黑",
        is_public=True,
    )
    for person in voices[:2]:
        services.report_me_too(report=report, by=person)
    with pytest.raises(ReportError, match="3"):
        report_to_topic(report=report, by=committee)
    assert not Topic.objects.exists()
    services.report_me_too(report=report, by=voices[2])
    with pytest.raises(ReportError):
        report_to_topic(report=report, by=resident)
    client.force_login(committee)
    page = client.get(report.get_absolute_url()).content.decode()
    assert f"/reports/{report.pk}/topic/" in page
    response = client.post(f"/v/{village.slug}/reports/{report.pk}/topic/")
    assert response.status_code == 302
    topic = Topic.objects.get()
    report.refresh_from_db()
    assert report.topic == topic
    assert topic.title == "建议在村口装路灯"
    assert report.number in topic.description
    assert report.events.filter(kind=ReportEvent.Step.TOPIC).exists()
    assert AuditEntry.objects.filter(action="reports.to_topic").exists()
    # Both ways: the topic's page links back to the report it grew out of.
    topic_page = client.get(topic.get_absolute_url()).content.decode()
    assert (
        f'Grew out of <a href="{report.get_absolute_url()}">'
        f"resident report {report.number}</a>"
    ) in topic_page
    double_tap_window_passes()
    again = client.post(f"/v/{village.slug}/reports/{report.pk}/topic/")
    assert again.status_code == 400
    assert Topic.objects.count() == 1


def test_only_public_suggestions_become_topics(village, resident, committee, voices):
    services.settings_save(village=village, by=committee, due_days=7, topic_threshold=1)
    hazard = file_report(village, resident, is_public=True)
    services.report_me_too(report=hazard, by=voices[0])
    with pytest.raises(ReportError):
        report_to_topic(report=hazard, by=committee)
    private = file_report(village, resident, kind="suggestion")
    with pytest.raises(ReportError):
        report_to_topic(report=private, by=committee)
    assert not Topic.objects.exists()


@pytest.fixture
def reward_item(village):
    rulebook = RuleBookFactory(village=village)
    category = RuleCategoryFactory(rulebook=rulebook, name="和谐稳定")
    return RuleItemFactory(
        category=category, code="R01", name="反映问题被采纳", points=5
    )


def test_useful_report_earns_points_through_an_entry(
    client, village, resident, household, committee, grid_worker, reward_item
):
    report = file_report(village, resident)
    with pytest.raises(ReportError):
        report_award_points(report=report, by=committee, item=reward_item)
    report = closed_report(village, resident, committee, grid_worker)
    with pytest.raises(ReportError):
        report_award_points(report=report, by=grid_worker, item=reward_item)
    client.force_login(committee)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "反映问题被采纳" in page
    bad = client.post(
        f"/v/{village.slug}/reports/{report.pk}/points/", {"item": "999999"}
    )
    assert bad.status_code == 400
    response = client.post(
        f"/v/{village.slug}/reports/{report.pk}/points/", {"item": str(reward_item.pk)}
    )
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert entry.household == household and entry.points == 5
    assert entry.status == Entry.Status.PROPOSED  # reviewed like any other entry
    report.refresh_from_db()
    assert report.points_entry == entry
    with pytest.raises(ReportError):
        report_award_points(report=report, by=committee, item=reward_item)
    assert Entry.objects.count() == 1


def test_no_points_without_a_household(village, committee, grid_worker, reward_item):
    loner = MembershipFactory(village=village).user
    report = closed_report(village, loner, committee, grid_worker)
    with pytest.raises(ReportError, match="household"):
        report_award_points(report=report, by=committee, item=reward_item)
    assert not Entry.objects.exists()

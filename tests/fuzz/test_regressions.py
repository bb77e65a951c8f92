"""What the form fuzzer found, each kept as the plain example that failed."""

from django.urls import reverse

import pytest

from reports.models import ReportSettings

pytestmark = pytest.mark.django_db


def test_a_refused_department_writes_no_report_settings(client, village, committee):
    """The departments page used to create the village's report settings row on
    its way to showing the refusal (settings were read with get_or_create)."""
    client.force_login(committee)
    response = client.post(
        reverse("reports:departments", kwargs={"village": village.slug}),
        {"name": "\x00镇派出所"},
    )
    assert response.status_code == 400
    assert not ReportSettings.objects.exists()


def test_report_settings_are_saved_the_first_time(client, village, committee):
    client.force_login(committee)
    response = client.post(
        reverse("reports:departments", kwargs={"village": village.slug}),
        {"action": "settings", "due_days": "9", "topic_threshold": "3"},
    )
    assert response.status_code == 302
    saved = ReportSettings.objects.get(village=village)
    assert (saved.due_days, saved.topic_threshold) == (9, 3)

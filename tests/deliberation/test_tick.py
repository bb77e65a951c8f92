"""The periodic job: finalise closed votes; warn voters who have not voted yet."""

import datetime as dt
from io import StringIO
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

import pytest

from deliberation.models import TopicAttachment, Vote
from deliberation.services.votes import ballot_cast
from notifications.models import Notification
from tests.deliberation.factories import make_vote

pytestmark = pytest.mark.django_db


def test_closing_soon_warns_only_those_who_have_not_voted_once(
    topic, committee, resident, household_rep
):
    vote = make_vote(topic, committee, closes_at=timezone.now() + dt.timedelta(hours=5))
    ballot_cast(vote=vote, voter=resident, option_ids=[vote.options.first().pk])
    Notification.objects.all().delete()
    call_command("deliberation_tick", stdout=StringIO())
    call_command("deliberation_tick", stdout=StringIO())
    warned = set(Notification.objects.values_list("recipient_id", flat=True))
    assert household_rep.pk in warned and committee.pk in warned
    assert resident.pk not in warned
    assert Notification.objects.filter(recipient=household_rep).count() == 1


def test_closed_votes_are_finalised(topic, committee, resident):
    vote = make_vote(topic, committee)
    ballot_cast(vote=vote, voter=resident, option_ids=[vote.options.first().pk])
    later = vote.closes_at + dt.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        out = StringIO()
        call_command("deliberation_tick", stdout=out)
    vote = Vote.objects.get(pk=vote.pk)
    assert vote.finalized_at and vote.electorate_size == 2
    assert "finalized 1" in out.getvalue()


def test_the_committee_attaches_a_photo_to_a_new_topic(client, village, committee):
    client.force_login(committee)
    from tests.security.test_uploads import jpeg

    # A real picture: uploads are checked by their content.
    photo = SimpleUploadedFile("road.jpg", jpeg(), content_type="image/jpeg")
    response = client.post(
        reverse("deliberation:topic_new", kwargs={"village": village.slug}),
        {
            "title": "修路",
            "description": "照片见附件",
            "attachment": photo,
            "caption": "现状",
        },
    )
    assert response.status_code == 302
    attachment = TopicAttachment.objects.get()
    assert attachment.is_photo and attachment.caption == "现状"
    bad = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        reverse("deliberation:topic_new", kwargs={"village": village.slug}),
        {"title": "修路2", "description": "x", "attachment": bad},
    )
    assert response.status_code == 400
    assert TopicAttachment.objects.count() == 1

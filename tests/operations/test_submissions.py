"""The double-tap guard's rules (operations.submissions), one by one: what counts
as the same form again, what does not, and what its rows reveal."""

import datetime as dt

from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

import pytest

from deliberation.models import Ballot, BallotChoice, Comment, Participation
from operations import submissions
from operations.models import Submission
from tests.deliberation.factories import TopicFactory, make_vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(village, committee):
    return TopicFactory(village=village, created_by=committee)


def _comment(client, topic, text="路灯坏了"):
    url = reverse(
        "deliberation:comment", kwargs={"village": topic.village.slug, "pk": topic.pk}
    )
    return client.post(url, {"body": text})


def test_a_second_copy_answers_the_first_redirect_with_a_message(
    client, topic, resident
):
    client.force_login(resident)
    first = _comment(client, topic)
    second = _comment(client, topic)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Comment.objects.filter(topic=topic).count() == 1
    page = client.get(second["Location"])
    assert "提交了两次，只保存了一次" in page.content.decode()


def test_another_person_sending_the_same_form_is_not_a_copy(
    client, topic, resident, household_rep
):
    for person in (resident, household_rep):
        client.force_login(person)
        assert _comment(client, topic).status_code == 302
    assert Comment.objects.filter(topic=topic).count() == 2


def test_a_different_form_in_between_makes_the_same_form_new_again(
    client, topic, committee, resident
):
    """同意, 反对, 同意: the third is the voter's choice, not a double tap."""
    vote = make_vote(topic, committee, is_secret=False)
    yes, no = (o.pk for o in vote.options.all()[:2])
    url = reverse(
        "deliberation:vote", kwargs={"village": topic.village.slug, "pk": vote.pk}
    )
    client.force_login(resident)
    for choice in (yes, no, yes):
        assert client.post(url, {"choice": choice}).status_code in (200, 302)
    assert Participation.objects.filter(vote=vote).count() == 1
    assert list(
        BallotChoice.objects.filter(ballot__vote=vote).values_list("option", flat=True)
    ) == [yes]
    assert Ballot.objects.filter(vote=vote).count() == 1


def test_the_same_form_after_the_window_is_a_new_request(client, topic, resident):
    client.force_login(resident)
    _comment(client, topic)
    Submission.objects.update(
        finished_at=timezone.now() - submissions.WINDOW - dt.timedelta(seconds=1)
    )
    _comment(client, topic)
    assert Comment.objects.filter(topic=topic).count() == 2


def test_a_refused_form_sent_again_is_tried_again(client, topic, resident):
    client.force_login(resident)
    assert _comment(client, topic, text="").status_code == 400
    assert not Submission.objects.exists()  # a refusal keeps nothing
    assert _comment(client, topic, text="").status_code == 400
    assert Comment.objects.filter(topic=topic).count() == 0


def test_a_lost_first_request_stops_holding_its_copies(client, topic, resident):
    """A worker killed half-way leaves a pending row: after PENDING_TIMEOUT the
    same form is handled as new (until then a copy would wait for it)."""
    client.force_login(resident)
    _comment(client, topic)
    Submission.objects.update(
        state=Submission.State.PENDING,
        status=None,
        finished_at=None,
        started_at=timezone.now() - submissions.PENDING_TIMEOUT,
    )
    assert _comment(client, topic).status_code == 302
    assert Comment.objects.filter(topic=topic).count() == 2


def test_a_copy_of_a_request_still_in_hand_says_so_instead_of_waiting_forever(
    client, topic, resident, monkeypatch
):
    client.force_login(resident)
    _comment(client, topic)
    Submission.objects.update(
        state=Submission.State.PENDING, status=None, finished_at=None
    )
    monkeypatch.setattr(submissions, "WAIT_SECONDS", 0)
    response = _comment(client, topic)
    assert response.status_code == 409
    assert "还在处理" in response.content.decode()
    assert Comment.objects.filter(topic=topic).count() == 1


def test_a_copy_waiting_for_a_first_that_is_then_refused_is_tried_on_its_own(
    resident,
):
    request = RequestFactory().post("/v/x/", {"text": "路灯"})
    request.user = resident
    actor = submissions.actor_key(resident)
    body = submissions.body_key(request, actor)
    first = submissions.submission_claim(actor=actor, body=body)
    copy = submissions.submission_claim(actor=actor, body=body)
    assert first.first and not copy.first and copy.token == first.token
    submissions.submission_finish(
        claim=first, request=request, response=HttpResponse("form again")
    )
    assert submissions.submission_wait(claim=copy, request=request) is None
    assert submissions.submission_claim(actor=actor, body=body).first


def test_the_key_of_a_form_is_its_fields_not_their_order_or_the_csrf_token(
    resident,
):
    factory = RequestFactory()
    actor = submissions.actor_key(resident)

    def key(data, path="/v/x/"):
        return submissions.body_key(factory.post(path, data), actor)

    base = key({"a": "1", "b": ["2", "3"]})
    assert base == key({"b": ["2", "3"], "a": "1", "csrfmiddlewaretoken": "z"})
    assert base != key({"a": "1", "b": ["3", "2"]})
    assert base != key({"a": "1", "b": ["2", "3"], "c": ""})
    assert base != key({"a": "1", "b": ["2", "3"]}, path="/v/y/")
    # Lengths are part of the key: moving a character between fields changes it.
    assert key({"a": "12", "b": "3"}) != key({"a": "1", "b": "23"})


def test_the_row_holds_neither_the_person_nor_what_they_sent(
    client, topic, resident, settings
):
    """Whoever sends a form leaves a row here for a while: nothing in it names
    them or what they wrote without the installation's secret key."""
    client.force_login(resident)
    _comment(client, topic, text="村东路灯坏了三天")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM operations_submission")
        columns = [c[0] for c in cursor.description]
        (row,) = cursor.fetchall()
    assert columns == [
        "id",
        "actor_key",
        "body_key",
        "token",
        "state",
        "status",
        "location",
        "started_at",
        "finished_at",
    ]
    text = " ".join(str(value) for value in row)
    assert "路灯" not in text and resident.phone not in text
    assert submissions.actor_key(resident) in text
    settings.SECRET_KEY = "another-key-entirely-0123456789-abcdefghijklmnop"
    assert submissions.actor_key(resident) not in text


def test_rows_that_can_no_longer_match_are_deleted(client, topic, resident, committee):
    client.force_login(resident)
    _comment(client, topic)
    Submission.objects.update(
        started_at=timezone.now()
        - submissions.PENDING_TIMEOUT
        - submissions.WINDOW
        - dt.timedelta(seconds=1)
    )
    client.force_login(committee)
    _comment(client, topic, text="明天修")
    assert Submission.objects.count() == 1


def test_admin_and_login_forms_are_not_guarded(client, committee):
    client.force_login(committee)
    client.post(reverse("account_logout"))
    assert not Submission.objects.exists()


def test_a_copy_of_a_ballot_says_done_once_and_never_shows_the_receipt(
    client, topic, committee, resident
):
    """A ballot is answered in place with its receipt, shown once: the copy of a
    double tap gets a page that says it was done once, with a way back."""
    vote = make_vote(topic, committee)
    url = reverse(
        "deliberation:vote", kwargs={"village": topic.village.slug, "pk": vote.pk}
    )
    client.force_login(resident)
    choice = {"choice": vote.options.first().pk}
    first = client.post(url, choice)
    assert first.status_code == 200
    copy = client.post(url, choice)
    page = copy.content.decode()
    assert copy.status_code == 200 and "只做了一次" in page
    assert f'href="{url}"' in page
    assert Participation.objects.filter(vote=vote).count() == 1
    for receipt in Ballot.objects.values_list("pk", flat=True):
        assert str(receipt) not in page.replace(str(vote.pk), "")

"""The pages, through the client: they work without JavaScript, refuse bad input
with a clear message and a 4xx, write nothing then, and never answer 500."""

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

import pytest

from audit.models import AuditEntry
from deliberation.models import (
    Comment,
    CommentReport,
    Meeting,
    Participation,
    Rating,
    Topic,
)
from deliberation.services import votes as vote_services
from deliberation.services.comments import comment_add, comment_hide
from deliberation.services.topics import topic_set_phase
from tests.deliberation.factories import ballots, make_vote
from tests.factories import double_tap_window_passes

pytestmark = pytest.mark.django_db


def url(name, village, **kw):
    return reverse(f"deliberation:{name}", kwargs={"village": village.slug, **kw})


@pytest.fixture
def as_(client):
    def login(user):
        c = Client()
        c.force_login(user)
        return c

    return login


def test_the_topic_list_filters_by_phase_with_counts(as_, village, topic, resident):
    response = as_(resident).get(url("topics", village) + "?phase=collecting")
    assert response.status_code == 200
    assert topic.title in response.content.decode()
    assert as_(resident).get(url("topics", village) + "?phase=done").status_code == 200
    assert (
        topic.title
        not in as_(resident)
        .get(url("topics", village) + "?phase=done")
        .content.decode()
    )


def test_anonymous_is_sent_to_log_in_and_other_villages_are_refused(
    client, village, topic, other_committee
):
    assert client.get(url("topic", village, pk=topic.pk)).status_code == 302
    c = Client()
    c.force_login(other_committee)
    assert c.get(url("topic", village, pk=topic.pk)).status_code == 403


def test_a_topic_of_another_village_is_not_found_under_this_one(
    as_, village, other_village, other_topic, committee
):
    assert (
        as_(committee).get(url("topic", village, pk=other_topic.pk)).status_code == 404
    )


def test_committee_opens_a_topic(as_, village, committee):
    response = as_(committee).post(
        url("topic_new", village),
        {"title": "修桥", "description": "小河上的木桥朽了。"},
    )
    topic = Topic.objects.get(title="修桥")
    assert response.status_code == 302 and response.url == topic.get_absolute_url()


def test_a_resident_cannot_open_a_topic(as_, village, resident):
    assert (
        as_(resident).post(url("topic_new", village), {"title": "x"}).status_code == 403
    )


def test_comment_reply_edit_and_script_is_rendered_harmless(
    as_, village, topic, resident
):
    c = as_(resident)
    response = c.post(
        url("comment", village, pk=topic.pk), {"body": "<script>alert(1)</script>好"}
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    page = c.get(url("topic", village, pk=topic.pk)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;好" in page
    assert (
        c.get(url("comment", village, pk=topic.pk) + f"?reply={comment.pk}").status_code
        == 200
    )
    c.post(url("comment", village, pk=topic.pk), {"body": "回复", "reply": comment.pk})
    assert Comment.objects.get(body="回复").parent == comment
    c.post(url("comment_edit", village, pk=comment.pk), {"body": "改过了"})
    page = c.get(url("topic", village, pk=topic.pk)).content.decode()
    assert "改过了" in page and "&lt;script&gt;" in page  # the old version is kept


def test_over_long_and_empty_comments_get_a_chinese_error(
    as_, village, topic, resident
):
    c = as_(resident)
    response = c.post(url("comment", village, pk=topic.pk), {"body": "长" * 2001})
    assert response.status_code == 400
    assert not Comment.objects.exists()
    response = c.post(url("comment", village, pk=topic.pk), {"body": ""})
    assert response.status_code == 400


def test_a_reply_to_a_comment_elsewhere_is_refused(
    as_, village, topic, other_topic, resident
):
    elsewhere = comment_add(topic=other_topic, by=resident, body="别村")
    response = as_(resident).post(
        url("comment", village, pk=topic.pk), {"body": "x", "reply": elsewhere.pk}
    )
    assert response.status_code == 400
    response = as_(resident).post(
        url("comment", village, pk=topic.pk), {"body": "x", "reply": "abc"}
    )
    assert response.status_code == 400
    assert Comment.objects.count() == 1


def test_hidden_comment_leaves_a_visible_trace(
    as_, village, topic, resident, committee
):
    comment = comment_add(topic=topic, by=resident, body="卖保健品")
    response = as_(committee).post(
        url("comment_hide", village, pk=comment.pk), {"reason": "广告"}
    )
    assert response.status_code == 302
    with override("en"):
        page = (
            as_(resident)
            .get(url("topic", village, pk=topic.pk), HTTP_ACCEPT_LANGUAGE="en")
            .content.decode()
        )
    assert "卖保健品" not in page
    assert "Hidden by the committee: 广告" in page
    assert (
        as_(resident)
        .post(url("comment_hide", village, pk=comment.pk), {"reason": "x"})
        .status_code
        == 403
    )


def test_report_page_and_double_report(as_, village, topic, resident, household_rep):
    comment = comment_add(topic=topic, by=resident, body="x")
    c = as_(household_rep)
    assert c.get(url("comment_report", village, pk=comment.pk)).status_code == 200
    first = c.post(url("comment_report", village, pk=comment.pk))
    assert first.status_code == 302
    # At once again: a double tap, answered like the first (operations.submissions).
    again = c.post(url("comment_report", village, pk=comment.pk))
    assert (again.status_code, again["Location"]) == (302, first["Location"])
    assert CommentReport.objects.filter(comment=comment).count() == 1
    # Later again: the service refuses a second report by the same person.
    double_tap_window_passes()
    assert c.post(url("comment_report", village, pk=comment.pk)).status_code == 400


def test_vote_page_ballot_receipt_cookie_and_change(
    as_, village, topic, committee, resident
):
    vote = make_vote(topic, committee)
    ids = {o.code: o.pk for o in vote.options.all()}
    c = as_(resident)
    assert c.get(url("vote", village, pk=vote.pk)).status_code == 200
    response = c.post(
        url("vote", village, pk=vote.pk), {"choice": ids["yes"], "keep_receipt": "on"}
    )
    assert response.status_code == 200
    cookie = response.cookies[f"ballot-{vote.pk}"]
    assert cookie["httponly"] and cookie["path"] == vote.get_absolute_url()
    assert cookie.value in response.content.decode()
    # the cookie travels back and lets the voter change the ballot
    response = c.post(
        url("vote", village, pk=vote.pk), {"choice": ids["no"], "keep_receipt": "on"}
    )
    assert response.status_code == 200
    assert list(ballots(vote).values()) == [(ids["no"],)]
    # without it (another phone), a typed receipt does the same
    other_phone = as_(resident)
    response = other_phone.post(
        url("vote", village, pk=vote.pk), {"choice": ids["yes"]}
    )
    assert response.status_code == 400
    response = other_phone.post(
        url("vote", village, pk=vote.pk),
        {"choice": ids["abstain"], "receipt": cookie.value},
    )
    assert response.status_code == 200
    assert list(ballots(vote).values()) == [(ids["abstain"],)]
    # the receipt is never in the session (stored in the database)
    from django.contrib.sessions.models import Session

    for session in Session.objects.all():
        assert cookie.value not in str(session.get_decoded())


def test_the_receipt_stays_on_the_phone_only_when_the_voter_asks(
    as_, village, topic, committee, resident
):
    vote = make_vote(topic, committee)
    ids = {o.code: o.pk for o in vote.options.all()}
    c = as_(resident)
    page = c.get(url("vote", village, pk=vote.pk)).content.decode()
    # the box is there, unticked, and what it means is said beside the button
    assert (
        'name="keep_receipt"' in page
        and "checked" not in page.split('name="keep_receipt"')[1].split(">")[0]
    )
    assert "让这部手机记住我的回执码" in page
    assert "谁拿到都能改您的票" in page
    response = c.post(url("vote", village, pk=vote.pk), {"choice": ids["yes"]})
    assert response.status_code == 200
    assert f"ballot-{vote.pk}" not in response.cookies
    receipt = vote_services.normalise_receipt(
        response.content.decode().split('class="receipt">')[1].split("<")[0]
    )
    assert receipt  # shown once, to write down
    # whoever picks the phone up next cannot change the ballot without the code
    response = c.post(url("vote", village, pk=vote.pk), {"choice": ids["no"]})
    assert response.status_code == 400
    assert list(ballots(vote).values()) == [(ids["yes"],)]
    # a kept receipt is dropped again when the voter no longer asks for it
    c.post(
        url("vote", village, pk=vote.pk),
        {"choice": ids["no"], "receipt": receipt, "keep_receipt": "on"},
    )
    assert c.cookies[f"ballot-{vote.pk}"].value == receipt
    response = c.post(url("vote", village, pk=vote.pk), {"choice": ids["abstain"]})
    assert response.cookies[f"ballot-{vote.pk}"].value == ""
    assert list(ballots(vote).values()) == [(ids["abstain"],)]


@pytest.mark.parametrize(
    "data",
    [
        {"choice": "999999"},
        {"choice": "abc"},
        {},
        {"choice": "1", "receipt": "short"},
    ],
)
def test_bad_ballots_are_refused_without_writing(
    as_, village, topic, committee, resident, data
):
    vote = make_vote(topic, committee)
    response = as_(resident).post(url("vote", village, pk=vote.pk), data)
    assert response.status_code == 400
    assert not Participation.objects.exists()


def test_too_many_choices_closed_vote_and_other_village(
    as_, village, topic, committee, resident, other_committee
):
    multi = make_vote(
        topic, committee, kind="multiple", options=["甲", "乙", "丙"], max_choices=2
    )
    ids = [o.pk for o in multi.options.all()]
    response = as_(resident).post(url("vote", village, pk=multi.pk), {"choice": ids})
    assert response.status_code == 400
    with override("en"):
        response = as_(resident).post(
            url("vote", village, pk=multi.pk),
            {"choice": ids},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert "Choose at most 2 options." in response.content.decode()
    now = timezone.now()
    closed = make_vote(
        topic,
        committee,
        opens_at=now - dt.timedelta(days=2),
        closes_at=now - dt.timedelta(days=1),
    )
    yes = closed.options.get(code="yes").pk
    response = as_(resident).post(url("vote", village, pk=closed.pk), {"choice": yes})
    assert response.status_code == 400
    c = Client()
    c.force_login(other_committee)
    assert (
        c.post(url("vote", village, pk=closed.pk), {"choice": yes}).status_code == 403
    )
    assert not Participation.objects.exists()


def test_a_forged_form_without_csrf_is_refused(village, topic, committee, resident):
    vote = make_vote(topic, committee)
    c = Client(enforce_csrf_checks=True)
    c.force_login(resident)
    response = c.post(
        url("vote", village, pk=vote.pk), {"choice": vote.options.first().pk}
    )
    assert response.status_code == 403
    assert not Participation.objects.exists()


def test_paper_ballot_by_the_grid_worker(
    as_, village, topic, committee, grid_worker, resident
):
    vote = make_vote(topic, committee)
    yes = vote.options.get(code="yes").pk
    assert (
        as_(grid_worker).get(url("paper_ballot", village, pk=vote.pk)).status_code
        == 200
    )
    response = as_(grid_worker).post(
        url("paper_ballot", village, pk=vote.pk),
        {"voter": resident.pk, "choice": yes, "consent_note": "本人口头同意，邻居在场"},
    )
    assert response.status_code == 302
    assert Participation.objects.get().is_paper
    assert AuditEntry.objects.filter(action="deliberation.paper_ballot").exists()
    # and the resident can no longer vote online
    response = as_(resident).post(url("vote", village, pk=vote.pk), {"choice": yes})
    assert response.status_code == 400
    assert len(ballots(vote)) == 1
    with override("en"):
        page = (
            as_(resident)
            .get(url("vote", village, pk=vote.pk), HTTP_ACCEPT_LANGUAGE="en")
            .content.decode()
        )
    assert "1 paper ballot" in page


def test_print_and_poster(as_, village, topic, committee, resident):
    vote = make_vote(topic, committee)
    assert as_(resident).get(url("vote_print", village, pk=vote.pk)).status_code == 200
    poster = as_(resident).get(url("vote_poster", village, pk=vote.pk)).content.decode()
    assert "<svg" in poster and vote.get_absolute_url() in poster


def test_vote_setup_by_the_committee(as_, village, topic, committee):
    response = as_(committee).post(
        url("vote_new", village, pk=topic.pk),
        {
            "question": "选哪条线？",
            "kind": "multiple",
            "options": "东线\n西线\n南线",
            "max_choices": 2,
            "electorate": "households",
            "rule": "villagers",
            "opens_at": "2026-12-01T08:00",
            "closes_at": "2026-12-07T20:00",
            "is_secret": "on",
        },
    )
    assert response.status_code == 302
    response = as_(committee).post(
        url("vote_new", village, pk=topic.pk),
        {
            "question": "x",
            "kind": "single",
            "options": "只有一个",
            "max_choices": 1,
            "electorate": "residents",
            "rule": "consultation",
            "opens_at": "2026-12-01T08:00",
            "closes_at": "2026-11-01T20:00",
        },
    )
    assert response.status_code == 400


def test_meeting_progress_rating(as_, village, topic, committee, resident):
    response = as_(committee).post(
        url("meeting_new", village, pk=topic.pk),
        {
            "kind": "representatives",
            "held_on": "2026-12-08",
            "place": "村委会议室",
            "attendance": 25,
            "required": 20,
            "minutes": "讨论了修路方案。",
            "decision": "同意东线方案。",
            "publish_decision": "on",
        },
    )
    assert response.status_code == 302
    assert Meeting.objects.get().quorate
    topic.refresh_from_db()
    assert topic.decision == "同意东线方案。"
    response = as_(committee).post(
        url("progress_new", village, pk=topic.pk), {"percent": 60, "text": "路基完成"}
    )
    assert response.status_code == 302
    assert (
        as_(resident).post(url("rate", village, pk=topic.pk), {"stars": 5}).status_code
        == 403
    )
    topic_set_phase(topic=topic, by=committee, phase="done")
    assert (
        as_(resident).post(url("rate", village, pk=topic.pk), {"stars": 9}).status_code
        == 400
    )
    assert (
        as_(resident).post(url("rate", village, pk=topic.pk), {"stars": 4}).status_code
        == 302
    )
    assert (
        as_(resident).post(url("rate", village, pk=topic.pk), {"stars": 5}).status_code
        == 400
    )
    assert Rating.objects.get().stars == 4
    page = as_(resident).get(url("topic", village, pk=topic.pk)).content.decode()
    assert "4.0" in page and "60%" in page


def test_proposal_cosign_and_answer_pages(
    as_, village, resident, household_rep, committee
):
    as_(resident).post(
        url("propose", village), {"title": "装路灯", "description": "太黑"}
    )
    topic = Topic.objects.get(title="装路灯")
    assert (
        as_(household_rep).post(url("cosign", village, pk=topic.pk)).status_code == 302
    )
    double_tap_window_passes()
    assert (
        as_(household_rep).post(url("cosign", village, pk=topic.pk)).status_code == 400
    )
    assert as_(resident).post(url("cosign", village, pk=topic.pk)).status_code == 403
    assert as_(committee).get(url("topic", village, pk=topic.pk)).status_code == 200
    response = as_(committee).post(url("answer", village, pk=topic.pk), {"accept": "0"})
    assert response.status_code == 400
    response = as_(committee).post(
        url("answer", village, pk=topic.pk), {"accept": "0", "answer": "今年没有预算"}
    )
    assert response.status_code == 302


def test_hidden_comment_trace_in_chinese(as_, village, topic, resident, committee):
    comment = comment_add(topic=topic, by=resident, body="x")
    comment_hide(comment=comment, by=committee, reason="与议题无关")
    page = as_(resident).get(url("topic", village, pk=topic.pk)).content.decode()
    assert "与议题无关" in page


def test_vote_settings_lock_once_voting_starts_through_the_page(
    as_, village, topic, committee, resident
):
    vote = make_vote(topic, committee)
    edit = url("vote_edit", village, pk=vote.pk)
    assert as_(resident).get(edit).status_code == 403
    assert as_(committee).get(edit).status_code == 200
    local = timezone.localtime
    data = {
        "question": "改个问题",
        "opens_at": local(vote.opens_at).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": local(vote.closes_at).strftime("%Y-%m-%dT%H:%M"),
        "results_live": "on",
        "is_secret": "on",
    }
    assert as_(committee).post(edit, data).status_code == 400
    vote.refresh_from_db()
    assert vote.question != "改个问题"
    later = vote.closes_at + dt.timedelta(days=2)
    data.update(
        question=vote.question, closes_at=local(later).strftime("%Y-%m-%dT%H:%M")
    )
    assert as_(committee).post(edit, data).status_code == 302
    vote.refresh_from_db()
    assert local(vote.closes_at).date() == local(later).date()


def test_a_vote_is_only_found_under_its_own_village(
    village, other_village, topic, committee, other_committee
):
    vote = make_vote(topic, committee)
    c = Client()
    c.force_login(other_committee)
    yes = vote.options.get(code="yes").pk
    assert (
        c.post(url("vote", other_village, pk=vote.pk), {"choice": yes}).status_code
        == 404
    )
    assert c.get(url("vote_poster", other_village, pk=vote.pk)).status_code == 404
    assert not Participation.objects.exists()


def test_script_in_titles_and_options_is_rendered_harmless(
    as_, village, committee, resident
):
    from deliberation.services.topics import topic_create

    topic = topic_create(
        village=village,
        by=committee,
        title="<img src=x onerror=alert(1)>",
        description="d",
    )
    vote = make_vote(topic, committee, kind="single", options=["<b>甲</b>", "乙"])
    for page in [url("topic", village, pk=topic.pk), url("vote", village, pk=vote.pk)]:
        html = as_(resident).get(page).content.decode()
        assert "<img src=x" not in html and "<b>甲</b>" not in html
        assert "&lt;img src=x" in html


def test_the_committee_plans_the_timeline_dates(
    as_, village, topic, committee, resident
):
    dates = url("dates", village, pk=topic.pk)
    assert as_(resident).get(dates).status_code == 403
    assert as_(committee).get(dates).status_code == 200
    response = as_(committee).post(
        dates, {"voting_start": "2026-12-10", "voting_end": "2026-12-01"}
    )
    assert response.status_code == 400
    response = as_(committee).post(
        dates,
        {
            "voting_start": "2026-12-01",
            "voting_end": "2026-12-07",
            "in_progress_start": "2027-03-01",
        },
    )
    assert response.status_code == 302
    planned = {d.phase: (d.starts_on, d.ends_on) for d in topic.phase_dates.all()}
    assert planned["voting"] == (dt.date(2026, 12, 1), dt.date(2026, 12, 7))
    assert planned["in_progress"] == (dt.date(2027, 3, 1), None)
    assert AuditEntry.objects.filter(action="deliberation.dates_change").exists()
    page = as_(resident).get(url("topic", village, pk=topic.pk)).content.decode()
    assert "12-01" in page and "12-07" in page

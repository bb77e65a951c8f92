"""Nobody can make a title, comment or name read backwards with bidi controls."""

from django.urls import reverse

import pytest

from deliberation.models import Comment, Topic

pytestmark = pytest.mark.django_db
RLO = "\u202e"
CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_a_topic_title_and_description_lose_their_bidi_controls(
    client, village, committee
):
    client.force_login(committee)
    response = client.post(
        reverse("deliberation:topic_new", kwargs={"village": village.slug}),
        {"title": f"修路{RLO}款拨已", "description": f"说明{CONTROLS}完"},
    )
    assert response.status_code == 302
    topic = Topic.objects.get()
    assert topic.title == "修路款拨已"
    assert topic.description == "说明完"


def test_a_comment_loses_its_bidi_controls(client, village, committee):
    client.force_login(committee)
    client.post(
        reverse("deliberation:topic_new", kwargs={"village": village.slug}),
        {"title": "修路", "description": "x"},
    )
    topic = Topic.objects.get()
    response = client.post(
        reverse(
            "deliberation:comment", kwargs={"village": village.slug, "pk": topic.pk}
        ),
        {"body": f"同意{RLO}对反"},
    )
    assert response.status_code in (200, 302)
    assert Comment.objects.get().body == "同意对反"


def test_text_without_controls_is_untouched(rf):
    from villages.text import BidiControlMiddleware

    request = rf.post("/", {"title": "维吾尔语 ئۇيغۇرچە and English"})
    seen = {}

    def view(request):
        seen["post"] = request.POST
        return None

    BidiControlMiddleware(view)(request)
    assert seen["post"]["title"] == "维吾尔语 ئۇيغۇرچە and English"

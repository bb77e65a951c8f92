"""What the form fuzzer found, each kept as the plain example that failed."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from deliberation.models import Topic
from points.shop.models import Shop, Voucher
from reports.models import ReportSettings
from tests.factories import MembershipFactory
from tests.fuzz.forms import FORMS
from tests.fuzz.runner import base_example, send
from tests.shop.factories import ProductFactory, ShopFactory

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


def test_a_topic_collecting_until_a_past_day_is_refused(client, village, committee):
    """Opinions "collected until" a day before today made a timeline step that ends
    before it starts: the database's check refused it and the page failed (500)."""
    client.force_login(committee)
    response = client.post(
        reverse("deliberation:topic_new", kwargs={"village": village.slug}),
        {
            "title": "修缮村口凉亭",
            "description": "凉亭屋顶漏雨。",
            "collecting_until": "2000-01-01",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not Topic.objects.exists()


def test_a_shopkeeper_id_beyond_64_bits_is_a_form_error(client, village, committee):
    """SQLite raised OverflowError (500) looking the id up."""
    client.force_login(committee)
    response = client.post(
        reverse("shop:shop_new", kwargs={"village": village.slug}),
        {"name": "合作商店", "slug": "hezuo", "shopkeepers": str(10**25)},
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("shopkeepers", "invalid_pk_value")
    assert not Shop.objects.exists()


def test_a_product_id_beyond_64_bits_is_refused(client, village, household):
    """The shop's quantity boxes are named after product ids: a forged one beyond
    64 bits made SQLite raise OverflowError (500)."""
    rep = MembershipFactory(
        village=village, household=household, is_household_rep=True
    ).user
    shop = ShopFactory(village=village, slug="cunkou")
    ProductFactory(shop=shop)
    client.force_login(rep)
    response = client.post(
        reverse("shop:take", kwargs={"village": village.slug, "shop": shop.slug}),
        {f"qty-{10**25}": "1"},
    )
    assert response.status_code == 400
    assert not Voucher.objects.exists()


def test_the_vote_edit_payload_holds_however_long_after_the_world_was_built(world):
    """On a loaded machine minutes passed between building the world (the vote
    opened "an hour ago") and sending the payload (opens_at "an hour ago" again,
    now later): the payload changed a setting that is locked once voting started,
    and the form was refused. The payload now sends the vote's own opening time."""
    form = next(f for f in FORMS if f.key == "deliberation:vote_edit")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=90), tick=False):
        outcome = send(form, world, base_example(form, world))
    assert outcome.status == 302, outcome

"""Household cards: QR + PIN, attempts limited, a daily cap, reissue stops the old."""

import re

from django.urls import reverse

import pytest

from audit.models import AuditEntry
from points.shop.errors import ShopError
from points.shop.models import HouseholdCard, ShopSettings, Voucher
from points.shop.services.cards import card_by_token, card_issue, card_redeem

pytestmark = pytest.mark.django_db


def card_url(village, token):
    return reverse("shop:card", kwargs={"village": village.slug, "token": token})


def test_card_redeem_with_pin(village, rich, shop, oil, committee, shopkeeper):
    card, token = card_issue(household=rich, pin="2580", by=committee)
    assert "2580" not in card.pin_hash and token not in card.token_hash
    assert card_by_token(token=token, village=village) == card
    voucher = card_redeem(
        card=card, shop=shop, pin="2580", items={oil.pk: 1}, by=shopkeeper
    )
    assert voucher.status == "spent" and voucher.card == card
    assert AuditEntry.objects.filter(action="shop.card_issue").exists()


@pytest.mark.parametrize("pin", ["", "12", "1234567", "abcd", "1234", "0000", "7777"])
def test_weak_or_malformed_pins_are_refused(rich, committee, pin):
    with pytest.raises(ShopError):
        card_issue(household=rich, pin=pin, by=committee)
    assert not HouseholdCard.objects.exists()


def test_wrong_pins_lock_the_card(village, rich, shop, oil, committee, shopkeeper):
    ShopSettings.objects.create(village=village, card_pin_attempts=3)
    card, _ = card_issue(household=rich, pin="2580", by=committee)
    for left in (2, 1):
        with pytest.raises(ShopError, match=f"{left} tries left"):
            card_redeem(
                card=card, shop=shop, pin="9999", items={oil.pk: 1}, by=shopkeeper
            )
    with pytest.raises(ShopError, match="now locked"):
        card_redeem(card=card, shop=shop, pin="9999", items={oil.pk: 1}, by=shopkeeper)
    # Locked: even the right PIN is refused, and nothing was spent.
    with pytest.raises(ShopError, match="locked"):
        card_redeem(card=card, shop=shop, pin="2580", items={oil.pk: 1}, by=shopkeeper)
    assert not Voucher.objects.exists()
    assert AuditEntry.objects.filter(action="shop.card_locked").count() == 1


def test_a_right_pin_resets_the_count(village, rich, shop, oil, committee, shopkeeper):
    card, _ = card_issue(household=rich, pin="2580", by=committee)
    with pytest.raises(ShopError):
        card_redeem(card=card, shop=shop, pin="1111", items={oil.pk: 1}, by=shopkeeper)
    card_redeem(card=card, shop=shop, pin="2580", items={oil.pk: 1}, by=shopkeeper)
    card.refresh_from_db()
    assert card.failed_attempts == 0


def test_daily_cap(village, rich, shop, oil, committee, shopkeeper):
    ShopSettings.objects.create(village=village, card_daily_cap=60)
    card, _ = card_issue(household=rich, pin="2580", by=committee)
    card_redeem(card=card, shop=shop, pin="2580", items={oil.pk: 2}, by=shopkeeper)
    with pytest.raises(ShopError, match="daily limit"):
        card_redeem(card=card, shop=shop, pin="2580", items={oil.pk: 1}, by=shopkeeper)
    assert Voucher.objects.count() == 1


def test_reissue_stops_the_old_card(village, rich, committee):
    _old, old_token = card_issue(household=rich, pin="2580", by=committee)
    _new, new_token = card_issue(household=rich, pin="3691", by=committee)
    assert card_by_token(token=old_token, village=village) is None
    assert card_by_token(token=new_token, village=village) is not None


def test_card_not_valid_in_another_village(village, other_village, rich, committee):
    _card, token = card_issue(household=rich, pin="2580", by=committee)
    assert card_by_token(token=token, village=other_village) is None


def test_card_pages(client, village, rich, shop, oil, committee, shopkeeper, resident):
    client.force_login(committee)
    assert (
        client.get(reverse("shop:cards", kwargs={"village": village.slug})).status_code
        == 200
    )
    issue = reverse("shop:card_issue", kwargs={"village": village.slug, "pk": rich.pk})
    bad = client.post(issue, {"pin": "2580", "pin_again": "2581"})
    assert bad.status_code == 400
    printed = client.post(issue, {"pin": "2580", "pin_again": "2580"})
    body = printed.content.decode()
    assert (
        printed.status_code == 200
        and "<svg" in body
        and "no-store" in printed["Cache-Control"]
    )
    token = re.search(r'data-link="[^"]*/card/([A-Za-z0-9_-]+)/"', body).group(1)

    # A villager scanning the card learns only that it is a card.
    client.force_login(resident)
    seen = client.get(card_url(village, token))
    assert seen.status_code == 403 and rich.number not in seen.content.decode()

    client.force_login(shopkeeper)
    page = client.get(card_url(village, token))
    assert page.status_code == 200 and rich.number in page.content.decode()
    wrong = client.post(
        card_url(village, token), {"shop": shop.slug, f"qty-{oil.pk}": 1, "pin": "0000"}
    )
    assert wrong.status_code == 400 and "Wrong PIN" in wrong.content.decode()
    done = client.post(
        card_url(village, token), {"shop": shop.slug, f"qty-{oil.pk}": 1, "pin": "2580"}
    )
    assert done.status_code == 302
    assert Voucher.objects.get().status == "spent"
    assert client.get(card_url(village, "x" * 43)).status_code == 404

    client.force_login(committee)
    revoke = reverse(
        "shop:card_revoke", kwargs={"village": village.slug, "pk": rich.pk}
    )
    assert client.post(revoke).status_code == 302
    client.force_login(shopkeeper)
    assert client.get(card_url(village, token)).status_code == 404

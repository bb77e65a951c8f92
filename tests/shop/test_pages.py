"""The shop's pages: the villager's, the counter's, the committee's, and every
refusal as a clear message with a 4xx."""

import re

from django.urls import reverse

import pytest

from audit.models import AuditEntry
from points.shop.models import Product, Shop, Voucher
from points.shop.services.vouchers import voucher_create
from tests.factories import double_tap_window_passes

pytestmark = pytest.mark.django_db


def url(name, village, **kw):
    return reverse(f"shop:{name}", kwargs={"village": village.slug, **kw})


def take_via_page(client, village, shop, items):
    data = {f"qty-{pk}": n for pk, n in items.items()}
    return client.post(url("take", village, shop=shop.slug), data)


def token_from(page: str, village, shop) -> str:
    match = re.search(rf"/v/{village.slug}/shop/{shop.slug}/c/([A-Za-z0-9_-]+)/", page)
    return match.group(1)


def test_villager_takes_a_voucher_and_sees_qr_and_code(
    client, village, rich, shop, oil, household_rep
):
    client.force_login(household_rep)
    home = client.get(url("home", village))
    assert home.status_code == 200 and "村口超市" in home.content.decode()
    page = client.get(url("shop", village, shop=shop.slug))
    assert page.status_code == 200 and "食用油" in page.content.decode()
    response = take_via_page(client, village, shop, {oil.pk: 2})
    voucher = Voucher.objects.get()
    assert response.status_code == 302 and response["Location"] == url(
        "voucher", village, pk=voucher.pk
    )
    shown = client.get(response["Location"])
    body = shown.content.decode()
    assert shown.status_code == 200 and "<svg" in body and voucher.code in body
    assert "no-store" in shown["Cache-Control"]
    # The QR link is https-or-site-URL and carries a token whose hash is stored.
    token = token_from(body, village, shop)
    voucher.refresh_from_db()
    from points.shop.services.tokens import token_hash

    assert voucher.token_hash == token_hash(token)


@pytest.mark.parametrize(
    ("qty", "message"),
    [("abc", "how many"), ("0", "at least one"), ("500", "between")],
)
def test_bad_quantities_are_a_form_error(
    client, village, rich, shop, oil, household_rep, qty, message
):
    client.force_login(household_rep)
    response = take_via_page(client, village, shop, {oil.pk: qty})
    assert response.status_code == 400
    assert re.search(f"(?i){message}", response.content.decode())
    assert not Voucher.objects.exists()


def test_not_enough_points_is_a_form_error(
    client, village, household, shop, oil, household_rep
):
    client.force_login(household_rep)
    response = take_via_page(client, village, shop, {oil.pk: 1})
    assert (
        response.status_code == 400 and "Not enough points" in response.content.decode()
    )


def test_person_without_household_cannot_take(client, village, shop, oil, committee):
    client.force_login(committee)
    assert take_via_page(client, village, shop, {oil.pk: 1}).status_code == 403


def test_scan_confirm_and_receipt(
    client, village, rich, shop, oil, household_rep, shopkeeper
):
    client.force_login(household_rep)
    take_via_page(client, village, shop, {oil.pk: 1})
    voucher = Voucher.objects.get()
    token = token_from(
        client.get(voucher.get_absolute_url()).content.decode(), village, shop
    )
    client.force_login(shopkeeper)
    confirm = url("confirm", village, shop=shop.slug, token=token)
    page = client.get(confirm)
    body = page.content.decode()
    assert page.status_code == 200 and rich.number in body and "食用油" in body
    done = client.post(confirm)
    assert done.status_code == 302
    receipt = client.get(done["Location"])
    assert receipt.status_code == 200 and "食用油" in receipt.content.decode()
    # A double tap answers the receipt again.
    assert client.post(confirm)["Location"] == done["Location"]
    # A second confirm later names when and where it was redeemed.
    double_tap_window_passes()
    again = client.post(confirm)
    assert again.status_code == 409 and "村口超市" in again.content.decode()
    # The villager's page is now the receipt.
    client.force_login(household_rep)
    mine = client.get(voucher.get_absolute_url()).content.decode()
    assert "redeemed at" in mine and "<svg" not in mine


def test_old_qr_stops_working_when_shown_again(
    client, village, rich, shop, oil, household_rep, shopkeeper
):
    client.force_login(household_rep)
    take_via_page(client, village, shop, {oil.pk: 1})
    voucher = Voucher.objects.get()
    old = token_from(
        client.get(voucher.get_absolute_url()).content.decode(), village, shop
    )
    client.get(voucher.get_absolute_url())
    client.force_login(shopkeeper)
    response = client.get(url("confirm", village, shop=shop.slug, token=old))
    assert response.status_code == 404


def test_someone_else_scanning_sees_only_that_it_is_a_voucher(
    client, village, rich, shop, oil, resident, other_keeper, committee
):
    voucher, token = voucher_create(
        household=rich, shop=shop, items={oil.pk: 1}, by=None
    )
    for person in (resident, committee, other_keeper):
        client.force_login(person)
        for method in (client.get, client.post):
            response = method(url("confirm", village, shop=shop.slug, token=token))
            body = response.content.decode()
            assert response.status_code == 403
            assert rich.number not in body and "食用油" not in body
    voucher.refresh_from_db()
    assert voucher.status == "active"


def test_other_shops_keeper_with_the_token_on_own_shop(
    client, village, rich, shop, oil, other_shop, other_keeper
):
    _voucher, token = voucher_create(
        household=rich, shop=shop, items={oil.pk: 1}, by=None
    )
    client.force_login(other_keeper)
    response = client.post(url("confirm", village, shop=other_shop.slug, token=token))
    assert response.status_code == 400
    assert rich.number not in response.content.decode()
    assert Voucher.objects.get().status == "active"


@pytest.mark.parametrize("token", ["junk", "A" * 43, "A" * 200])
def test_junk_tokens(client, village, shop, shopkeeper, token):
    client.force_login(shopkeeper)
    for method in (client.get, client.post):
        assert (
            method(url("confirm", village, shop=shop.slug, token=token)).status_code
            == 404
        )


def test_code_box_flow(client, village, rich, shop, oil, shopkeeper):
    voucher, _ = voucher_create(household=rich, shop=shop, items={oil.pk: 1}, by=None)
    client.force_login(shopkeeper)
    counter = url("counter", village, shop=shop.slug)
    assert client.get(counter).status_code == 200
    shown = client.post(counter, {"code": voucher.code})
    assert shown.status_code == 200 and rich.number in shown.content.decode()
    done = client.post(
        url("redeem_code", village, shop=shop.slug),
        {"code": voucher.code, "voucher": voucher.pk},
    )
    assert done.status_code == 302
    double_tap_window_passes()
    again = client.post(
        url("redeem_code", village, shop=shop.slug),
        {"code": voucher.code, "voucher": voucher.pk},
    )
    assert again.status_code == 409 and "Already redeemed" in again.content.decode()


def test_code_box_refusals(client, village, rich, shop, oil, shopkeeper):
    client.force_login(shopkeeper)
    counter = url("counter", village, shop=shop.slug)
    for junk in ["", "12", "abcdef", "999999" * 3]:
        response = client.post(counter, {"code": junk})
        assert response.status_code == 400
    for _ in range(12):
        response = client.post(counter, {"code": "000001"})
    assert response.status_code == 400 and "Too many" in response.content.decode()


def test_non_keeper_cannot_use_the_counter(
    client, village, shop, other_keeper, resident
):
    for person in (other_keeper, resident):
        client.force_login(person)
        assert client.get(url("counter", village, shop=shop.slug)).status_code == 403
        assert (
            client.post(
                url("counter", village, shop=shop.slug), {"code": "123456"}
            ).status_code
            == 403
        )


def test_cancel_from_the_page(
    client, village, rich, shop, oil, household_rep, resident
):
    client.force_login(household_rep)
    take_via_page(client, village, shop, {oil.pk: 1})
    voucher = Voucher.objects.get()
    response = client.post(url("voucher_cancel", village, pk=voucher.pk))
    assert response.status_code == 302
    voucher.refresh_from_db()
    assert voucher.status == "cancelled"
    double_tap_window_passes()
    again = client.post(url("voucher_cancel", village, pk=voucher.pk), follow=True)
    assert "Only a voucher waiting" in again.content.decode()


def test_another_household_cannot_see_the_voucher(
    client, village, rich, shop, oil, neighbour
):
    from tests.factories import MembershipFactory

    voucher, _ = voucher_create(household=rich, shop=shop, items={oil.pk: 1}, by=None)
    stranger = MembershipFactory(village=village, household=neighbour).user
    client.force_login(stranger)
    assert client.get(voucher.get_absolute_url()).status_code == 404
    assert client.post(url("voucher_cancel", village, pk=voucher.pk)).status_code == 404


def test_committee_sets_up_shop_and_product_with_photo(
    client, village, committee, shopkeeper
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    from PIL import Image

    client.force_login(committee)
    assert client.get(url("manage", village)).status_code == 200
    response = client.post(
        url("manage", village),
        {"yuan_per_point": "0.5", "card_daily_cap": 100, "card_pin_attempts": 5},
    )
    assert response.status_code == 302
    response = client.post(
        url("shop_new", village),
        {
            "name": "小卖部",
            "slug": "xmb",
            "is_active": "on",
            "shopkeepers": [shopkeeper.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()
    shop = Shop.objects.get(slug="xmb")
    assert list(shop.shopkeepers.all()) == [shopkeeper]
    picture = io.BytesIO()
    Image.new("RGB", (2400, 1200), "red").save(picture, "PNG")
    photo = SimpleUploadedFile("oil.png", picture.getvalue(), content_type="image/png")
    response = client.post(
        url("product_new", village, shop="xmb"),
        {
            "name": "酱油",
            "points": 12,
            "stock": 20,
            "limit_period": "month",
            "weekdays": ["1", "3", "5"],
            "is_active": "on",
            "photo_upload": photo,
        },
    )
    assert response.status_code == 302, response.content.decode()
    product = Product.objects.get(name="酱油")
    assert (product.stock, product.weekdays, product.points) == (20, "135", 12)
    assert max(product.photo.width, product.photo.height) == 1600
    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(
        url("product_new", village, shop="xmb"),
        {
            "name": "假",
            "points": 1,
            "stock": 1,
            "limit_period": "month",
            "weekdays": ["1"],
            "photo_upload": fake,
        },
    )
    assert (
        response.status_code == 400 and not Product.objects.filter(name="假").exists()
    )
    # Stock: arrivals and write-offs are audited; never below what is held.
    stock = url("stock", village, shop="xmb", pk=product.pk)
    assert client.post(stock, {"delta": 5, "reason": "到货"}).status_code == 302
    response = client.post(stock, {"delta": -100, "reason": "损耗"})
    assert response.status_code == 400
    product.refresh_from_db()
    assert product.stock == 25
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "shop.settings_save",
        "shop.shop_save",
        "shop.product_save",
        "shop.stock_change",
    } <= actions


def test_villagers_cannot_manage(client, village, resident, shop, oil):
    client.force_login(resident)
    for name, kw in [
        ("manage", {}),
        ("shop_new", {}),
        ("cards", {}),
        ("product_new", {"shop": shop.slug}),
    ]:
        assert client.get(url(name, village, **kw)).status_code == 403
        assert client.post(url(name, village, **kw)).status_code == 403


def test_expired_voucher_is_released_when_read(
    client, village, rich, shop, oil, household_rep, shopkeeper
):
    import datetime as dt

    from django.utils import timezone

    from points.shop.models import HouseholdHold

    voucher, token = voucher_create(
        household=rich,
        shop=shop,
        items={oil.pk: 1},
        by=None,
        now=timezone.now() - dt.timedelta(days=1),
    )
    client.force_login(shopkeeper)
    confirm = url("confirm", village, shop=shop.slug, token=token)
    page = client.get(confirm)
    assert page.status_code == 200 and "expired" in page.content.decode()
    assert 'type="submit">Goods handed over' not in page.content.decode()
    refused = client.post(confirm)
    assert refused.status_code == 400 and "expired" in refused.content.decode()
    voucher.refresh_from_db()
    oil.refresh_from_db()
    assert voucher.status == "expired" and oil.held == 0
    assert HouseholdHold.objects.get(household=rich).held == 0
    client.force_login(household_rep)
    mine = client.get(voucher.get_absolute_url()).content.decode()
    assert "expired" in mine and "<svg" not in mine


@pytest.mark.parametrize("slug", ["manage", "vouchers", "card", "statements"])
def test_shop_cannot_take_a_name_the_site_uses(client, village, committee, slug):
    client.force_login(committee)
    response = client.post(url("shop_new", village), {"name": "店", "slug": slug})
    assert response.status_code == 400 and not Shop.objects.exists()


def test_villager_reloading_does_not_undo_a_scan(
    client, village, rich, shop, oil, household_rep, shopkeeper, other_keeper
):
    client.force_login(household_rep)
    take_via_page(client, village, shop, {oil.pk: 1})
    voucher = Voucher.objects.get()
    token = token_from(
        client.get(voucher.get_absolute_url()).content.decode(), village, shop
    )
    client.force_login(shopkeeper)
    confirm = url("confirm", village, shop=shop.slug, token=token)
    ticket = re.search(
        r'name="ticket" value="([^"]+)"', client.get(confirm).content.decode()
    )[1]
    client.force_login(household_rep)
    client.get(voucher.get_absolute_url())  # a fresh QR code retires the token
    # A forged ticket or someone else's is worth nothing.
    client.force_login(other_keeper)
    assert client.post(confirm, {"ticket": ticket}).status_code == 403
    client.force_login(shopkeeper)
    assert client.post(confirm, {"ticket": "junk"}).status_code == 404
    assert client.post(confirm, {"ticket": ticket}).status_code == 302
    voucher.refresh_from_db()
    assert voucher.status == "spent"

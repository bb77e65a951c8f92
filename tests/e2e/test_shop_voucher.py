"""Journey 4: a villager takes a voucher on the phone; the shopkeeper's phone,
whose camera is fed the voucher's QR code, scans it in the in-page scanner and
confirms; the villager's page then shows the receipt."""

import datetime as dt

from points.services.ledger import ledger_record_deed
from points.shop.models import Voucher
from tests.shop.factories import ProductFactory, ShopFactory


def qr_video(text: str, path) -> None:
    """A few frames of a 640×480 Y4M video showing the QR code, for Chromium's
    fake camera. The code sits inside the scanner's search region (the middle
    two thirds of the shorter side)."""
    import qrcode
    from PIL import Image

    code = qrcode.make(text, border=4).get_image().convert("L").resize((300, 300))
    frame = Image.new("L", (640, 480), 255)
    frame.paste(code, (170, 90))
    chroma = bytes([128]) * (320 * 240)
    with open(path, "wb") as out:
        out.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(10):
            out.write(b"FRAME\n" + frame.tobytes() + chroma + chroma)


def test_voucher_scanned_and_redeemed(
    journey, tmp_path, village, household, household_rep, shopkeeper
):
    shop = ShopFactory(village=village, name="村口超市", slug="cunkou")
    shop.shopkeepers.add(shopkeeper)
    oil = ProductFactory(shop=shop, name="食用油", points=30, stock=10)
    ledger_record_deed(
        household=household, points=100, effective_on=dt.date.today(), key="seed"
    )
    base = f"/v/{village.slug}/shop/"

    page = journey.phone(user=household_rep)
    page.goto(base + f"{shop.slug}/")
    journey.shot(page, "shop")
    page.fill(f"input[name=qty-{oil.pk}]", "2")
    page.click('form[action$="/take/"] button[type=submit]')
    page.wait_for_selector(".voucher-qr svg")
    journey.shot(page, "voucher")
    link = page.get_attribute(".voucher-qr", "data-link")
    code = page.inner_text(".code")
    assert link.startswith(journey.base_url) and len(code) == 6

    video = tmp_path / "qr.y4m"
    qr_video(link, video)
    camera = journey.browser(
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    )
    counter = journey.phone(user=shopkeeper, browser=camera)
    counter.context.grant_permissions(["camera"], origin=journey.base_url)
    counter.goto(base + f"{shop.slug}/counter/")
    counter.wait_for_selector("#scanner:not([hidden])")
    journey.shot(counter, "counter")
    counter.click("[data-start]")
    counter.wait_for_url("**/c/**")
    assert household.number in counter.content()
    journey.shot(counter, "confirm")
    counter.click("main form button[type=submit]")
    counter.wait_for_url("**/receipts/**")
    assert "食用油" in counter.content()
    journey.shot(counter, "shopkeeper-receipt")

    page.reload()
    assert "<svg" not in page.inner_html(".page")
    journey.shot(page, "villager-receipt")
    voucher = Voucher.objects.get()
    assert voucher.status == "spent"
    oil.refresh_from_db()
    assert oil.stock == 8

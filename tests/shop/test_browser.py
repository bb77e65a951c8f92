"""End to end in Chromium at a phone's size: a villager takes a voucher; the
shopkeeper's browser, whose camera is fed the voucher's QR code, scans it in the
in-page scanner and confirms; the villager's page shows the receipt.

Needs Playwright and Debian's Chromium (``apt install chromium``); skipped otherwise.
"""

import datetime as dt
import shutil

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

import pytest

from points.services.ledger import ledger_record_deed
from points.shop.models import Voucher

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("chromium"), reason="needs Debian's chromium"),
]
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
]
PHONE = {"width": 360, "height": 740}


def session_cookie(user, live_server) -> dict:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return {"name": "sessionid", "value": store.session_key, "url": live_server.url}


def qr_video(text: str, path) -> None:
    """A few frames of a 640×480 Y4M video showing the QR code, for Chromium's
    fake camera."""
    import qrcode
    from PIL import Image

    code = qrcode.make(text, border=4).get_image().convert("L").resize((420, 420))
    frame = Image.new("L", (640, 480), 255)
    frame.paste(code, (110, 30))
    chroma = bytes([128]) * (320 * 240)
    with open(path, "wb") as out:
        out.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(10):
            out.write(b"FRAME\n" + frame.tobytes() + chroma + chroma)


def test_voucher_scanned_in_page_and_confirmed(
    live_server,
    settings,
    monkeypatch,
    tmp_path,
    village,
    household,
    household_rep,
    shop,
    oil,
    shopkeeper,
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop
    settings.SITE_URL = live_server.url
    ledger_record_deed(
        household=household, points=100, effective_on=dt.date.today(), key="seed"
    )
    base = live_server.url + f"/v/{village.slug}/shop/"
    with playwright.sync_playwright() as p:
        villager_browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        villager = villager_browser.new_context(viewport=PHONE, is_mobile=True)
        villager.add_cookies([session_cookie(household_rep, live_server)])
        villager.set_default_timeout(60_000)  # a loaded CI machine is slow
        page = villager.new_page()
        page.goto(base + f"{shop.slug}/")
        page.fill(f"input[name=qty-{oil.pk}]", "2")
        page.click('form[action$="/take/"] button[type=submit]')
        page.wait_for_selector(".voucher-qr svg")
        link = page.get_attribute(".voucher-qr", "data-link")
        code = page.inner_text(".code")
        assert link.startswith(live_server.url) and len(code) == 6

        video = tmp_path / "qr.y4m"
        qr_video(link, video)
        keeper_browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                *ARGS,
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        keeper = keeper_browser.new_context(viewport=PHONE, is_mobile=True)
        keeper.grant_permissions(["camera"], origin=live_server.url)
        keeper.add_cookies([session_cookie(shopkeeper, live_server)])
        keeper.set_default_timeout(60_000)
        counter = keeper.new_page()
        counter.goto(base + f"{shop.slug}/counter/")
        counter.wait_for_selector("#scanner:not([hidden])")
        counter.click("[data-start]")
        counter.wait_for_url("**/c/**")
        assert household.number in counter.content()
        counter.click("main form button[type=submit]")
        counter.wait_for_url("**/receipts/**")
        assert "食用油" in counter.content()

        page.reload()
        assert "<svg" not in page.inner_html(".page")
        assert Voucher.objects.get().status == "spent"
        villager_browser.close()
        keeper_browser.close()

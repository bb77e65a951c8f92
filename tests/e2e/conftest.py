"""Whole journeys in Chromium at a phone's size, against the real server that
pytest-django starts (``live_server``).

Playwright drives Debian's Chromium (``/usr/bin/chromium``; ``make e2e`` installs
it). Outside CI a machine without it skips these tests; under ``CI=true`` a missing
browser is a failure. Every journey saves phone-size screenshots of its key pages
under ``test-artifacts/e2e/<journey>/``. ``E2E_SLOW=1`` throttles every journey to a
slow mobile link; one journey always runs throttled.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "e2e"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
# A slow 3G link as Chrome's DevTools define it: 400 ms, 400 kbit/s down.
SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400 * 1024 // 8,
    "uploadThroughput": 400 * 1024 // 8,
}
TIMEOUT_MS = 60_000  # a loaded 2-core CI machine is slow; failures still fail

try:
    from playwright import sync_api
except ImportError:  # pragma: no cover - the Makefile installs it
    sync_api = None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    missing = None
    if sync_api is None:
        missing = "Playwright is not installed (make install)"
    elif not Path(CHROMIUM).exists():
        missing = "Debian's chromium is not installed (make e2e installs it)"
    for item in items:
        if here in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))
            if missing:
                if os.environ.get("CI") == "true":
                    raise pytest.UsageError(f"browser tests cannot run: {missing}")
                item.add_marker(pytest.mark.skip(reason=missing))


@pytest.fixture(scope="session")
def _playwright():
    # Playwright's sync API runs an event loop in this thread; Django would then
    # refuse database access from the test body.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def chromium(_playwright):
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    yield browser
    browser.close()


@pytest.fixture
def live_url(live_server, settings):
    """The live server's address, also used for links and QR codes."""
    settings.SITE_URL = live_server.url
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    return live_server.url


class Journey:
    """One journey's browsers: phone-size contexts, logins and screenshots."""

    def __init__(self, *, playwright, chromium, base_url: str, name: str):
        self.playwright = playwright
        self.chromium = chromium
        self.base_url = base_url
        self.folder = ARTIFACTS / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._shots = 0
        self._closers = []
        self.slow = os.environ.get("E2E_SLOW") == "1"

    def phone(self, *, user=None, browser=None, slow: bool | None = None):
        """A new page in a phone-size, touch context, logged in as ``user``."""
        context = (browser or self.chromium).new_context(
            viewport=PHONE,
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale="zh-CN",
            base_url=self.base_url,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        self._closers.append(context.close)
        if user is not None:
            context.add_cookies([session_cookie(user, self.base_url)])
        page = context.new_page()
        if self.slow if slow is None else slow:
            throttle(page)
        return page

    def browser(self, *extra_args: str):
        """A separate Chromium, e.g. one whose camera is fed from a file."""
        browser = self.playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*ARGS, *extra_args]
        )
        self._closers.append(browser.close)
        return browser

    def shot(self, page, name: str) -> Path:
        """Save a phone-size screenshot of the page's whole length."""
        self._shots += 1
        slug = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")
        path = self.folder / f"{self._shots:02d}-{slug}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def close(self):
        for close in reversed(self._closers):
            with contextlib.suppress(Exception):  # closing after a failure
                close()


@pytest.fixture(autouse=True)
def wagtail_root(transactional_db):
    """Wagtail's root page, collection and default site, as its migrations make
    them: a browser test before this one flushed the database, and them with it."""
    from wagtail.models import Collection, Locale, Page, Site

    if not Page.objects.filter(depth=1).exists():
        Locale.objects.get_or_create(language_code="zh-hans")
        root = Page.add_root(instance=Page(title="Root", slug="root"))
        Site.objects.create(hostname="localhost", root_page=root, is_default_site=True)
    if not Collection.objects.exists():
        Collection.add_root(name="Root")


@pytest.fixture
def journey(request, _playwright, chromium, live_url):
    name = request.node.name.removeprefix("test_")
    j = Journey(playwright=_playwright, chromium=chromium, base_url=live_url, name=name)
    yield j
    j.close()


def session_cookie(user, base_url: str) -> dict:
    """A logged-in session for ``user`` without going through the login pages
    (journeys that test login itself go through them)."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return {"name": "sessionid", "value": store.session_key, "url": base_url}


def throttle(page) -> None:
    """Slow the page's network to a slow 3G link (Chrome DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)

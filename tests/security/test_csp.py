"""Content-Security-Policy: one strict policy for the public site and our apps,
a narrower exception for the Wagtail admin, one addition for the shop counter, and
no inline script or style left in our templates."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

import pytest

from config.security import (
    SecurityHeadersMiddleware,
    csp_allow,
    policy_header,
    policy_merge,
)
from deliberation.services.comments import comment_add
from tests.cms_home.fixtures import *  # noqa: F403
from tests.deliberation.factories import TopicFactory
from tests.shop.factories import ShopFactory

ROOT = Path(__file__).resolve().parent.parent.parent
STRICT = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def csp(response) -> str:
    return response["Content-Security-Policy"]


def test_the_default_policy_is_the_strict_one():
    assert policy_header(settings.CSP_DEFAULT) == STRICT


def test_public_pages_carry_the_strict_policy(client, make_notice, village_page):
    notice = make_notice()
    for url in ["/", village_page.url, notice.url, notice.url + "print/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert csp(response) == STRICT, url
    # A cached copy (the second anonymous read) carries it too.
    assert csp(client.get(notice.url)) == STRICT


def test_app_pages_and_errors_carry_the_strict_policy(client, village, resident):
    client.force_login(resident)
    for url in [
        reverse("accounts:me"),
        reverse("deliberation:topics", kwargs={"village": village.slug}),
        reverse("reports:new", kwargs={"village": village.slug}),
        "/no/such/page/",
    ]:
        response = client.get(url)
        assert csp(response) == STRICT, url
    assert csp(client.get(reverse("account_login"))) == STRICT


def test_wagtail_admin_gets_its_own_policy_and_only_there(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/cms/")
    assert response.status_code == 200
    policy = csp(response)
    assert policy == policy_header(settings.CSP_ADMIN)
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "frame-ancestors 'self'" in policy
    # Still nothing from another site, no plugins, no foreign forms.
    for directive in ("default-src 'none'", "object-src 'none'", "form-action 'self'"):
        assert directive in policy
    assert csp(client.get("/django-admin/")) == STRICT
    assert csp(client.get("/cmsx/")) == STRICT  # a prefix, not a substring


def test_admin_dashboard_and_page_editor_render(client, admin_user, make_notice):
    notice = make_notice(title="村民投票通知")
    client.force_login(admin_user)
    assert client.get("/cms/").status_code == 200
    response = client.get(f"/cms/pages/{notice.pk}/edit/")
    assert response.status_code == 200 and "村民投票通知" in response.content.decode()
    page = response.content.decode()
    assert "gravatar.com" not in page  # no avatars fetched from outside


def test_only_the_shop_counter_may_run_a_blob_worker(client, village, shopkeeper):
    shop = ShopFactory(village=village, slug="cunkou")
    shop.shopkeepers.add(shopkeeper)
    client.force_login(shopkeeper)
    counter = client.get(
        reverse("shop:counter", kwargs={"village": village.slug, "shop": shop.slug})
    )
    assert counter.status_code == 200
    assert "worker-src 'self' blob:" in csp(counter)
    assert csp(counter).startswith(STRICT)
    home = client.get(reverse("shop:home", kwargs={"village": village.slug}))
    assert "worker-src" not in csp(home) and "blob:" not in csp(home)


def test_comment_actions_style_uses_a_fresh_nonce(
    client, village, committee, household_rep
):
    topic = TopicFactory(village=village, created_by=committee)
    comment_add(topic=topic, by=household_rep, body="同意先修主路。")
    url = reverse(
        "deliberation:topic", kwargs={"village": village.slug, "pk": topic.pk}
    )

    anonymous = client.get(url)
    assert "nonce-" not in csp(anonymous)  # no inline style for readers

    client.force_login(household_rep)
    nonces = []
    for _ in range(2):
        response = client.get(url)
        page = response.content.decode()
        nonce = re.search(r'<style nonce="([^"]+)">', page).group(1)
        assert f"style-src 'self' 'nonce-{nonce}'" in csp(response)
        assert f"'nonce-{nonce}'" not in csp(response).split("style-src")[0]
        nonces.append(nonce)
    assert nonces[0] != nonces[1] and len(nonces[0]) >= 22


def test_pictures_may_come_from_object_storage_when_media_lives_there(
    client, settings, db
):
    settings.MEDIA_URL = "https://media.example.cn/public/"
    policy = csp(client.get("/"))
    assert "img-src 'self' data: https://media.example.cn;" in policy
    assert policy.count("https://media.example.cn") == 1  # pictures only
    settings.MEDIA_URL = "/media/"
    assert csp(client.get("/")) == STRICT


def test_a_response_that_sets_its_own_policy_keeps_it(rf):
    def view(request):
        response = HttpResponse("x")
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response

    response = SecurityHeadersMiddleware(view)(rf.get("/"))
    assert csp(response) == "default-src 'none'; sandbox"


def test_csp_allow_widens_one_view_only():
    @csp_allow(worker_src=["blob:"], img_src=["https://tiles.example"])
    def view(request):
        return HttpResponse("x")

    middleware = SecurityHeadersMiddleware(view)
    policy = csp(middleware(RequestFactory().get("/")))
    # worker-src did not exist: it starts from default-src, which is 'none'.
    assert "worker-src blob:" in policy
    assert "img-src 'self' data: https://tiles.example" in policy
    plain = SecurityHeadersMiddleware(lambda r: HttpResponse("x"))
    assert csp(plain(RequestFactory().get("/"))) == STRICT


def test_policy_merge_adds_without_duplicates():
    base = {"default-src": ["'self'"], "img-src": ["'self'"]}
    merged = policy_merge(base, {"img-src": ["'self'", "data:"], "frame-src": ["x"]})
    assert merged == {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-src": ["'self'", "x"],
    }
    assert base["img-src"] == ["'self'"]  # the settings are not changed
    assert policy_header({"sandbox": [], "default-src": ["'none'"]}) == (
        "sandbox; default-src 'none'"
    )


# What the strict policy refuses, found by reading the templates themselves.
INLINE = [
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>"),
        "inline <script>",
    ),
    (re.compile(r"<style(?![^>]*\bnonce=)[^>]*>"), "<style> block"),
    (re.compile(r"""\sstyle\s*=\s*["']"""), "style attribute"),
    (re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I), "on* handler"),
    (
        re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I),
        "javascript: URL",
    ),
]


def template_files() -> list[Path]:
    folders = [ROOT / "templates"]
    for app in ("site", "points", "deliberation"):
        folders += [p for p in (ROOT / app).rglob("templates") if p.is_dir()]
    return sorted(f for folder in folders for f in folder.rglob("*.html"))


def inline_findings(text: str) -> list[str]:
    return [label for pattern, label in INLINE if pattern.search(text)]


def test_our_templates_hold_nothing_the_policy_refuses():
    files = template_files()
    assert len(files) > 100  # the scan really reads our templates
    found = {
        str(f.relative_to(ROOT)): inline_findings(f.read_text(encoding="utf-8"))
        for f in files
    }
    assert {k: v for k, v in found.items() if v} == {}


@pytest.mark.parametrize(
    ("sample", "label"),
    [
        ("<script>alert(1)</script>", "inline <script>"),
        ("<script defer>go()</script>", "inline <script>"),
        ("<style>body{}</style>", "<style> block"),
        ('<p style="color:red">', "style attribute"),
        ("<button onclick='x()'>", "on* handler"),
        ('<a href="javascript:x()">', "javascript: URL"),
    ],
)
def test_the_template_scan_finds_each_kind(sample, label):
    assert inline_findings(sample) == [label]


def test_the_template_scan_lets_allowed_forms_pass():
    allowed = (
        '<script src="/static/js/print.js" defer></script>'
        '<script type="application/json" id="d">{}</script>'
        '<style nonce="{{ request.csp_nonce }}">.x{}</style>'
        '<p data-style="x" class="online">'
    )
    assert inline_findings(allowed) == []

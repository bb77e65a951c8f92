"""Every file the site lets someone download is inert in a spreadsheet program.

The world of the permission crawler (this module's own copy) is built, then every
text a person can type (every character or text column of our models, and the
pages' titles) is replaced by a formula: `=HYPERLINK("http://x","y")`, `+1`,
`-1+2`, `@SUM(1)`, a tab or a carriage return before `=1`. Then every URL of the
URLconf, and every page of the page tree with its routable sub-pages, is asked for
(GET as the committee and as the township, POST as the committee), and every page
of Wagtail's admin that takes no argument with `?export=csv` and `?export=xlsx`
(GET as the committee); every answer that is a download is opened: a workbook with
openpyxl, a CSV with the csv module, a zip member by member. A live formula, or a
text cell that starts like one without the guard, fails the test.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from itertools import cycle
from pathlib import Path

from django.apps import apps
from django.core.cache import cache
from django.db import DatabaseError, models, transaction
from django.test import Client

from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

import openpyxl
import pytest

from points.models import ListLine
from tests.permissions.crawler import routes
from tests.permissions.test_permission_crawler import admin_url, url_for

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PAYLOADS = ('=HYPERLINK("http://x","y")', "+1", "-1+2", "@SUM(1)", "\t=1", "\r=1")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# XML reads a carriage return back as a line feed.
XLSX_FORMULA_STARTS = (*FORMULA_STARTS, "\n")
# Downloads the site has today: the walk must find each of them, and planted text
# must reach each (it checks any other download too, without being told).
EXPORTS = {
    "roster:export",
    "points:rules_export",
    "points:credit_export",
    "shop:statement_excel",
    "reports:figures_export",
    "reports:township_export",
    "privacy:export",
    "page:export/csv/",
    "page:export/xlsx/",
    # Wagtail's admin: the site history, as the committee may read it.
    "wagtailadmin_reports:site_history?export=csv",
    "wagtailadmin_reports:site_history?export=xlsx",
}
# Columns that are not typed by a person, or that the walk needs as they are.
NOT_TYPED = {"password", "slug", "url_path", "path", "content_json", "locale"}
NEGATIVE_NUMBER = re.compile(r"^-\d+(\.\d+)?$")
# Downloads that are not spreadsheets: a document or picture someone uploaded,
# served as it was published.
NOT_SPREADSHEETS = ("application/pdf", "image/")


def _typed_text_fields(model) -> list[models.Field]:
    fields = []
    for field in model._meta.concrete_fields:
        if not isinstance(field, (models.CharField, models.TextField)):
            continue
        if field.choices or field.primary_key or isinstance(field, models.SlugField):
            continue
        if field.name in NOT_TYPED:
            continue
        if field.model is Page and field.name not in ("title", "draft_title"):
            continue
        fields.append(field)
    return fields


def plant_formulas() -> int:
    """Every typed text of every row of our apps becomes a formula; returns how
    many columns were planted. Where the database refuses a formula (a phone
    number must be +digits), a foreign phone number is planted, which starts with
    `+` too; where it refuses that, nobody can type a formula there."""
    payloads = cycle(PAYLOADS)
    planted = set()
    for model in apps.get_models():
        if (
            not Path(apps.get_app_config(model._meta.app_label).path).is_relative_to(
                ROOT
            )
            or ".venv" in apps.get_app_config(model._meta.app_label).path
        ):
            continue
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = _typed_text_fields(model)
        for pk in model._base_manager.values_list("pk", flat=True):
            for field in fields:
                payload = f"{next(payloads)} #{pk}"
                for value in (payload, f"+85291{pk:06d}"):
                    if field.max_length:
                        value = value[: field.max_length]
                    try:
                        with transaction.atomic():
                            model._base_manager.filter(pk=pk).update(
                                **{field.name: value}
                            )
                    except DatabaseError:
                        # A constraint, or a table the database keeps
                        # append-only (the audit log): refused, not planted.
                        continue
                    planted.add((model, field.name))
                    break
    # 信用户 for the bank: only households that consented to it.
    ListLine.objects.filter(color=ListLine.Color.RED).update(consent_to_share=True)
    return len(planted)


def _page_urls() -> dict[str, str]:
    """Every live page, and each routable page's sub-pages that take no argument."""
    found = {}
    for page in Page.objects.live().specific():
        url = page.url
        if not url:
            continue
        found[f"page:{page.pk}"] = url
        if isinstance(page, RoutablePageMixin):
            for pattern in page.get_subpage_urls():
                route = str(pattern.pattern)
                if "<" not in route and route:
                    found[f"page:{route}"] = url + route
    return found


def _ask(client: Client, method: str, url: str):
    """One request, rolled back after it (the client's cookies too)."""
    cookies = client.cookies
    client.cookies = type(cookies)(cookies)
    try:
        with transaction.atomic():
            response = getattr(client, method)(url)
            content = (
                b"".join(response.streaming_content)
                if response.streaming
                else response.content
            )
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return response, content


def _is_download(response) -> bool:
    return response.status_code == 200 and response.get(
        "Content-Disposition", ""
    ).startswith("attachment")


# -- what a spreadsheet would run ----------------------------------------------------
def xlsx_problems(content: bytes) -> tuple[list[str], int]:
    """(live formulas and unguarded cells, how many guarded formula texts)."""
    problems, guarded = [], 0
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name):
                problems.append(f"{name} holds a formula element")
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                where = f"{sheet.title}!{cell.coordinate}"
                if cell.data_type == "f":
                    problems.append(f"{where} is a live formula: {cell.value!r}")
                elif isinstance(cell.value, str):
                    if cell.value.startswith(XLSX_FORMULA_STARTS):
                        problems.append(f"{where} is unguarded: {cell.value!r}")
                    elif cell.value[:1] == "'" and cell.value[1:2] in "=+-@\t\r\n":
                        guarded += 1
                        if cell.data_type != "s":
                            problems.append(f"{where} is not a text cell")
    return problems, guarded


def csv_problems(content: bytes) -> tuple[list[str], int]:
    problems, guarded = [], 0
    text = content.decode("utf-8-sig")
    for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), 1):
        for column, value in enumerate(row, 1):
            where = f"row {number} column {column}"
            if value.startswith(FORMULA_STARTS) and not NEGATIVE_NUMBER.match(value):
                problems.append(f"{where} is unguarded: {value!r}")
            elif value[:1] == "'" and value[1:2] in "=+-@\t\r\n":
                guarded += 1
    return problems, guarded


def download_problems(response, content: bytes) -> tuple[list[str], int]:
    kind = response["Content-Type"]
    if "spreadsheetml" in kind:
        return xlsx_problems(content)
    if kind.startswith("text/csv"):
        return csv_problems(content)
    if kind == "application/zip":
        problems, guarded = [], 0
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                check = {".xlsx": xlsx_problems, ".csv": csv_problems}.get(
                    Path(name).suffix
                )
                if check:
                    found, count = check(archive.read(name))
                    problems += [f"{name}: {p}" for p in found]
                    guarded += count
        return problems, guarded
    return [f"a download of an unchecked kind: {kind}"], 0


# -- the walk ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def planted_world(world):
    """The crawler's world (this module's own copy) with formulas planted."""
    world.planted = plant_formulas()
    return world


def test_no_download_holds_a_formula(planted_world, clients):
    w = planted_world
    assert w.planted > 50  # the planting reached the columns people type in
    urls, admin = {}, {}
    for route in routes():
        if route.key == "wagtailadmin_error_test":
            continue  # raises on purpose
        if route.route.startswith("cms/") and not route.arguments:
            # Wagtail's listings and reports export with ?export=csv or xlsx.
            for kind in ("csv", "xlsx"):
                admin[f"{route.key}?export={kind}"] = (
                    f"{admin_url(route)}?export={kind}"
                )
            continue
        if route.is_admin or route.name is None or route.key == "wagtail_serve":
            continue
        try:
            urls[route.key] = url_for(route, w)
        except AssertionError:
            continue  # an argument the crawler's world gives only to other URLs
    urls.update(_page_urls())

    asks = [("committee", "get"), ("supervisor", "get"), ("committee", "post")]
    found, problems = set(), []
    for key, url in sorted(urls.items()) + sorted(admin.items()):
        for role, method in asks if key in urls else asks[:1]:
            cache.clear()
            response, content = _ask(clients[role], method, url)
            if not _is_download(response):
                continue
            if response["Content-Type"].startswith(NOT_SPREADSHEETS):
                continue
            found.add(key)
            trouble, guarded = download_problems(response, content)
            problems += [f"{method.upper()} {url} as {role}: {p}" for p in trouble]
            # Ours must show the planting reached them (the admin's reports may
            # list nothing a person typed, e.g. page types).
            if key in EXPORTS and not guarded:
                problems.append(
                    f"{method.upper()} {url} as {role}: no planted text reached it"
                )
    assert not problems, "\n".join(problems)
    assert found >= EXPORTS, f"not downloaded: {sorted(EXPORTS - found)}"


# -- the checks themselves catch what they are for ----------------------------------
def _workbook(*values, string=False) -> bytes:
    workbook = openpyxl.Workbook()
    for value in values:
        workbook.active.append([value])
        if string:
            workbook.active.cell(workbook.active.max_row, 1).data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_checks_catch_a_live_or_unguarded_formula(payload):
    assert xlsx_problems(_workbook(payload))[0]
    assert xlsx_problems(_workbook(payload, string=True))[0]
    assert csv_problems(f"name\n{payload}\n".encode())[0] or payload[0] == "\r"
    assert csv_problems(f'name\n"{payload}"\n'.encode())[0]


def test_the_checks_let_numbers_and_guarded_text_through():
    problems, guarded = xlsx_problems(_workbook(-12.5, "'=1+1", "王小明", string=False))
    assert problems == [] and guarded == 1
    assert csv_problems("金额,名字\n-12.50,'=1+1\n".encode()) == ([], 1)

"""Every URL of a village, asked for by someone of another village, answers 403 or
404 and never data, for GET and POST alike. The URLs come from the URLconf, so a
new page is covered the day it is added."""

import re
import uuid

from django.urls import URLPattern, URLResolver, get_resolver

import pytest

from audit.models import AuditEntry
from audit.services import audit_log

CONVERTER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
FILL = {"int": "1", "slug": "x", "str": "x", "uuid": str(uuid.UUID(int=1)), "path": "x"}


def _routes(patterns, prefix=""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route


def village_routes() -> list[str]:
    return sorted(
        {r for r in _routes(get_resolver().url_patterns) if "<slug:village>" in r}
    )


def fill(route: str, village_slug: str) -> str:
    def value(match):
        if match["name"] == "village":
            return village_slug
        return FILL[match["conv"] or "str"]

    return "/" + CONVERTER.sub(value, route).lstrip("^").rstrip("$")


def test_the_url_walk_finds_the_village_pages():
    routes = village_routes()
    assert any(r.endswith("roster/") for r in routes)
    assert any("audit" in r for r in routes)


@pytest.mark.parametrize("route", village_routes())
def test_other_villages_committee_gets_no_data(
    client, route, village, other_committee, committee
):
    audit_log(
        actor=committee, village=village, action="test.secret", note="柳溪村的秘密"
    )
    before = AuditEntry.objects.count()
    client.force_login(other_committee)
    url = fill(route, village.slug)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in (403, 404), (
            url,
            method.__name__,
            response.status_code,
        )
        body = response.content.decode(errors="replace")
        assert "柳溪村的秘密" not in body
    assert AuditEntry.objects.count() == before

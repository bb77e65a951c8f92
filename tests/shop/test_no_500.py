"""Every shop URL, asked by each kind of member of the village with junk in every
field, answers without a server error and without writing a voucher."""

import re

from django.urls import get_resolver

import pytest

from points.shop.models import Settlement, Voucher

pytestmark = pytest.mark.django_db

CONVERTER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def shop_routes() -> list[str]:
    def walk(patterns, prefix=""):
        for p in patterns:
            route = prefix + str(p.pattern)
            if hasattr(p, "url_patterns"):
                yield from walk(p.url_patterns, route)
            else:
                yield route

    return sorted(
        {
            r
            for r in walk(get_resolver().url_patterns)
            if "/shop/" in r and "<slug:village>" in r
        }
    )


JUNK = {
    "code": "１２３' OR 1=1",
    "voucher": "-1",
    "pin": "<script>",
    "pin_again": "x",
    "qty-1": "9" * 30,
    "qty-x": "1",
    "month": "9999-99",
    "delta": "1e9",
    "reason": "",
    "shop": "../../",
    "yuan_per_point": "NaN",
    "points": "-5",
    "weekdays": "8",
    "slug": "坏 slug",
    "name": "",
}


@pytest.mark.parametrize("route", shop_routes())
def test_no_server_error_on_junk(
    client,
    route,
    village,
    shop,
    oil,
    rich,
    household_rep,
    shopkeeper,
    committee,
    resident,
):
    def fill(match):
        if match["name"] == "village":
            return village.slug
        if match["name"] == "shop":
            return shop.slug
        if match["name"] == "token":
            return "A" * 43
        return {"int": str(oil.pk)}.get(match["conv"], "x")

    url = "/" + CONVERTER.sub(fill, route).lstrip("^").rstrip("$")
    for person in (household_rep, shopkeeper, committee, resident):
        client.force_login(person)
        for method, data in ((client.get, {"month": "junk"}), (client.post, JUNK)):
            response = method(url, data)
            assert response.status_code < 500, (url, person, response.status_code)
    assert not Voucher.objects.exists()
    assert not Settlement.objects.exists()

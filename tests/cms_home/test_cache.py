"""Anonymous readers get cached pages; no change is ever hidden by the cache."""

import re

from cms_home.services import page_withdraw


def test_second_anonymous_visit_is_a_cache_hit_without_queries(
    client, village_page, make_notice, django_assert_num_queries
):
    make_notice(title="村民投票通知")
    first = client.get(village_page.url)
    assert "X-Page-Cache" not in first
    with django_assert_num_queries(0):
        second = client.get(village_page.url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content.decode().count("村民投票通知") == 1


def test_publishing_shows_at_once(client, village_page, make_notice, head):
    client.get(village_page.url)
    make_notice(title="新的通知", user=head)
    assert "新的通知" in client.get(village_page.url).content.decode()


def test_withdrawal_shows_at_once(client, make_notice, head):
    notice = make_notice(title="要撤回的通知", user=head)
    url = notice.url
    assert client.get(url).status_code == 200
    page_withdraw(page=notice, reason="有误", by=head)
    assert client.get(url).status_code == 410


def test_logged_in_people_are_never_served_the_cache(client, village_page, resident):
    client.get(village_page.url)
    client.force_login(resident)
    response = client.get(village_page.url)
    assert "X-Page-Cache" not in response
    assert 'action="/accounts/logout/"' in response.content.decode()


def test_each_visitor_gets_a_working_csrf_token(village_page):
    from django.test import Client

    Client().get(village_page.url)  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get(village_page.url)
    assert response["X-Page-Cache"] == "hit"
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()
    ).group(1)
    switched = visitor.post(
        "/i18n/setlang/",
        {"language": "en", "next": village_page.url, "csrfmiddlewaretoken": token},
    )
    assert switched.status_code == 302
    english = visitor.get(village_page.url)
    assert '<html lang="en">' in english.content.decode()


def test_search_and_exports_are_not_cached(client, village_page, make_report):
    report = make_report()
    client.get(f"{village_page.url}search/?q=x")
    assert "X-Page-Cache" not in client.get(f"{village_page.url}search/?q=x")
    client.get(f"{report.url}export/csv/")
    assert "X-Page-Cache" not in client.get(f"{report.url}export/csv/")

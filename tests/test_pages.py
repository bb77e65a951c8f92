"""Pages every visitor meets: phone-first, Chinese by default, English on request."""

from django.urls import reverse


def test_portal_lists_villages_in_chinese_by_default(client, village, other_village):
    response = client.get(reverse("portal"))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in page
    assert 'name="viewport"' in page
    assert village.name in page and other_village.name in page
    assert "登录" in page


def test_language_switch_to_english_and_back(client, village):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("portal")).content.decode()
    assert '<html lang="en">' in page and "Log in" in page
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-hans">' in client.get(reverse("portal")).content.decode()


def test_language_switch_refuses_junk_and_foreign_redirects(client, db):
    response = client.post(
        reverse("set_language"),
        {"language": "xx-junk", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert '<html lang="zh-hans">' in client.get(reverse("portal")).content.decode()


def test_pages_work_without_javascript(client, resident, village):
    client.force_login(resident)
    for url in [reverse("portal"), reverse("accounts:me"), village.get_absolute_url()]:
        page = client.get(url).content.decode()
        assert "<script" not in page, url


def test_403_page_is_in_chinese_and_keeps_no_data(client, village, other_committee):
    client.force_login(other_committee)
    response = client.get(reverse("roster:list", kwargs={"village": village.slug}))
    assert response.status_code == 403
    assert "你无权打开这个页面" in response.content.decode()


def test_unknown_url_is_a_chinese_404(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_me_requires_login(client, db):
    response = client.get(reverse("accounts:me"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]

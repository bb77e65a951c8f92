"""Print views and posters are in the village's language, whatever the browser of
whoever prints them asks for: the board says the same thing to everyone."""

import pytest

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.mark.parametrize("view", ["print/", "poster/"])
def test_a_notice_prints_in_the_village_language(client, make_notice, view):
    notice = make_notice(title="村民投票通知", summary="请户代表投票")
    response = client.get(f"{notice.url}{view}", **ENGLISH_BROWSER)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in page
    assert response["Content-Language"] == "zh-hans"
    if view == "poster/":
        assert "用手机扫码查看全文" in page
        assert "Scan with your phone" not in page


def test_the_page_itself_still_follows_the_visitor(client, make_notice):
    notice = make_notice(title="村民投票通知", summary="请户代表投票")
    page = client.get(notice.url, **ENGLISH_BROWSER).content.decode()
    assert '<html lang="en">' in page


def test_the_installation_language_decides_without_a_village_setting(
    client, make_notice, settings
):
    settings.LANGUAGE_CODE = "en"
    notice = make_notice(title="村民投票通知", summary="请户代表投票")
    response = client.get(f"{notice.url}poster/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response["Content-Language"] == "en"
    assert "Scan with your phone" in response.content.decode()

"""The pages: filing without JavaScript, the status page, the committee's queue,
the assignee's steps, the township, and bad input answered with a form error."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

import pytest

from reports import services
from reports.models import Rating, Report, ReportPhoto, Status
from tests.factories import double_tap_window_passes
from tests.reports.conftest import image_bytes
from tests.reports.factories import assigned_report, closed_report, due, file_report

pytestmark = pytest.mark.django_db


def zh(message: str) -> str:
    """The message as a Chinese reader sees it (the English source until the
    catalogue has it)."""
    with translation.override("zh-hans"):
        return gettext(message)


def url(name, village, **kwargs):
    return reverse(f"reports:{name}", kwargs={"village": village.slug, **kwargs})


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def test_filing_form_is_plain_html(client, village, resident):
    client.force_login(resident)
    response = client.get(url("new", village))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in body
    assert 'type="file"' in body and "multiple" in body
    assert 'name="kind"' in body and 'name="text"' in body


def test_file_a_report_with_photos_without_javascript(client, village, resident):
    client.force_login(resident)
    response = client.post(
        url("new", village),
        {
            "kind": "hazard",
            "text": "村口电线杆歪了",
            "place": "村口",
            "latitude": "30.1234567",
            "longitude": "120.1",
            "is_public": "on",
            "photos": [
                SimpleUploadedFile("a.png", image_bytes(), "image/png"),
                SimpleUploadedFile("b.jpg", image_bytes(fmt="JPEG"), "image/jpeg"),
            ],
        },
    )
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == report.get_absolute_url()
    assert report.is_public and report.filer == resident
    assert str(report.latitude) == "30.123457"
    assert ReportPhoto.objects.filter(report=report).count() == 2
    page = client.get(report.get_absolute_url())
    assert report.number in page.content.decode()
    photo = ReportPhoto.objects.first()
    image = client.get(url("photo", village, pk=photo.pk))
    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg"


BAD = [
    ({"text": ""}, "Please say in a few words what happened."),
    ({"text": "坑" * 2001}, "2000"),
    ({"kind": "rumour"}, None),
    ({"latitude": "91", "longitude": "10"}, None),
    ({"latitude": "10", "longitude": "-181"}, None),
    ({"latitude": "10"}, None),
    ({"latitude": "abc", "longitude": "10"}, None),
]


@pytest.mark.parametrize(("changes", "text"), BAD)
def test_bad_input_is_a_form_error_and_nothing_is_written(
    client, village, resident, changes, text
):
    client.force_login(resident)
    data = {"kind": "hazard", "text": "路灯坏了", **changes}
    response = client.post(url("new", village), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="errorlist' in body
    if text:
        assert zh(text) in body
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("x.jpg", b"MZ\x90\x00 not a picture", "image/jpeg"),
        SimpleUploadedFile("x.png", b"", "image/png"),
    ],
)
def test_a_file_that_is_not_a_picture_is_refused(client, village, resident, upload):
    client.force_login(resident)
    response = client.post(
        url("new", village), {"kind": "hazard", "text": "路灯坏了", "photos": [upload]}
    )
    assert response.status_code == 400
    assert not Report.objects.exists()
    assert not ReportPhoto.objects.exists()


def test_a_decompression_bomb_is_refused(client, village, resident):
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")  # 81 megapixels, a small file
    client.force_login(resident)
    response = client.post(
        url("new", village),
        {
            "kind": "hazard",
            "text": "路灯坏了",
            "photos": [SimpleUploadedFile("bomb.png", out.getvalue(), "image/png")],
        },
    )
    assert response.status_code == 400
    assert zh("This picture is too large to process.") in response.content.decode()
    assert not Report.objects.exists()


def test_too_many_photos(client, village, resident):
    client.force_login(resident)
    photos = [
        SimpleUploadedFile(f"{i}.png", image_bytes(), "image/png") for i in range(5)
    ]
    response = client.post(
        url("new", village), {"kind": "hazard", "text": "路灯坏了", "photos": photos}
    )
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_a_photo_over_10_mb_is_refused(client, village, resident):
    client.force_login(resident)
    big = SimpleUploadedFile("big.png", image_bytes() + b"\0" * (10 * 1024 * 1024))
    response = client.post(
        url("new", village), {"kind": "hazard", "text": "路灯坏了", "photos": [big]}
    )
    assert response.status_code == 400
    assert zh("A photo may be at most 10 MB.") in response.content.decode()
    assert not Report.objects.exists()


def test_queue_per_kind_and_grid_with_overdue(
    client, village, resident, committee, grid_worker
):
    late = assigned_report(village, resident, committee, grid_worker)
    Report.objects.filter(pk=late.pk).update(
        due_on=timezone.localdate() - timezone.timedelta(days=2)
    )
    file_report(village, resident, kind="suggestion", text="建议修个篮球场")
    client.force_login(committee)
    response = client.get(url("queue", village))
    body = response.content.decode()
    assert response.status_code == 200
    assert late.number in body
    assert zh("overdue") in body
    only = client.get(url("queue", village), {"kind": "suggestion"})
    assert late.number not in only.content.decode().split("<table")[1]
    by_grid = client.get(url("queue", village), {"grid": str(late.grid_id)})
    assert by_grid.status_code == 200
    overdue = client.get(url("queue", village), {"overdue": "1"})
    assert "建议修个篮球场" not in overdue.content.decode()
    # nonsense filters are ignored, never a 500
    odd = client.get(
        url("queue", village),
        {"kind": "x", "grid": "abc", "status": "zzz", "page": "-1"},
    )
    assert odd.status_code == 200


def test_queue_is_for_the_committee(client, village, resident, grid_worker):
    for person in (resident, grid_worker):
        client.force_login(person)
        assert client.get(url("queue", village)).status_code == 403


def test_assign_progress_close_rate_through_the_pages(
    client, village, resident, committee, grid_worker
):
    report = file_report(village, resident)
    client.force_login(committee)
    page = client.get(report.get_absolute_url())
    assert 'name="assignee"' in page.content.decode()
    response = client.post(
        url("assign", village, pk=report.pk),
        {"assignee": f"u{grid_worker.pk}", "due_on": due().isoformat(), "note": ""},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.assignee == grid_worker

    # the committee is not the assignee: refused, nothing written
    response = client.post(url("close", village, pk=report.pk), {"answer": "好了"})
    assert response.status_code == 403

    client.force_login(grid_worker)
    assert (
        client.post(
            url("progress", village, pk=report.pk), {"note": "已到现场"}
        ).status_code
        == 302
    )
    empty = client.post(url("close", village, pk=report.pk), {"answer": ""})
    assert empty.status_code == 400
    assert (
        client.post(
            url("close", village, pk=report.pk), {"answer": "已修好"}
        ).status_code
        == 302
    )
    client.force_login(resident)
    bad = client.post(url("rate", village, pk=report.pk), {"rating": "great"})
    assert bad.status_code == 400
    ok = client.post(
        url("rate", village, pk=report.pk), {"rating": "satisfied", "comment": "谢谢"}
    )
    assert ok.status_code == 302
    twice = client.post(url("rate", village, pk=report.pk), {"rating": "satisfied"})
    assert twice.status_code == 400
    assert zh("You have already rated this answer.") in twice.content.decode()
    report.refresh_from_db()
    assert report.status == Status.RATED and report.rating == Rating.SATISFIED


def test_assign_with_bad_input(client, village, resident, committee, grid_worker):
    report = file_report(village, resident)
    client.force_login(committee)
    for data in (
        {"assignee": "u999999", "due_on": due().isoformat()},
        {"assignee": f"u{resident.pk}", "due_on": due().isoformat()},
        {"assignee": f"u{grid_worker.pk}", "due_on": "2000-01-01"},
        {"assignee": f"u{grid_worker.pk}", "due_on": "not a date"},
        {"assignee": "d1", "due_on": due().isoformat()},
        {},
    ):
        response = client.post(url("assign", village, pk=report.pk), data)
        assert response.status_code == 400, data
    report.refresh_from_db()
    assert report.status == Status.FILED


def test_get_on_a_step_goes_back_to_the_report(client, village, resident):
    report = file_report(village, resident)
    client.force_login(resident)
    response = client.get(url("close", village, pk=report.pk))
    assert response.status_code == 302


def test_township_sees_escalated_reports_of_its_villages(
    client, village, other_village, resident, committee, grid_worker, supervisor
):
    report = assigned_report(village, resident, committee, grid_worker)
    quiet = file_report(village, resident, text="另一件私事")
    services.report_escalate(report=report, by=committee, note="村里协调不了")
    client.force_login(supervisor)
    response = client.get(url("township", other_village))
    body = response.content.decode()
    assert response.status_code == 200
    assert report.number in body and "柳溪村" in body and "桃园村" in body
    assert "另一件私事" not in body
    assert client.get(report.get_absolute_url()).status_code == 200
    assert client.get(quiet.get_absolute_url()).status_code == 404
    export = client.get(url("township_export", village), {"year": "abc"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_township_view_is_for_supervisors(client, village, committee, resident):
    for person in (committee, resident):
        client.force_login(person)
        assert client.get(url("township", village)).status_code == 403


def test_me_too_page_flow(client, village, resident, neighbour):
    report = file_report(village, resident, is_public=True)
    client.force_login(neighbour)
    assert client.post(url("me_too", village, pk=report.pk)).status_code == 302
    double_tap_window_passes()
    again = client.post(url("me_too", village, pk=report.pk))
    assert again.status_code == 400
    assert report.me_too.count() == 1


def test_departments_and_settings_pages(client, village, committee):
    client.force_login(committee)
    assert client.get(url("departments", village)).status_code == 200
    response = client.post(url("departments", village), {"name": "派出所"})
    assert response.status_code == 302
    double_tap_window_passes()
    dup = client.post(url("departments", village), {"name": "派出所"})
    assert dup.status_code == 400
    empty = client.post(url("departments", village), {"name": ""})
    assert empty.status_code == 400
    bad = client.post(
        url("departments", village),
        {"action": "settings", "due_days": "0", "topic_threshold": "5"},
    )
    assert bad.status_code == 400
    ok = client.post(
        url("departments", village),
        {"action": "settings", "due_days": "10", "topic_threshold": "3"},
    )
    assert ok.status_code == 302
    assert services.settings_for(village).due_days == 10
    retire = client.post(
        url("departments", village), {"action": "retire", "department": "abc"}
    )
    assert retire.status_code == 404


def test_figures_page_and_export(client, village, resident, committee, grid_worker):
    report = closed_report(village, resident, committee, grid_worker)
    services.report_rate(report=report, by=resident, rating=Rating.SATISFIED)
    client.force_login(committee)
    response = client.get(url("figures", village))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body and "100.0%" in body
    export = client.get(url("figures_export", village))
    assert export.status_code == 200
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 12 + 1
    assert sum(r[2] for r in rows[1:13]) == 1


def test_figures_are_not_for_residents(client, village, resident):
    client.force_login(resident)
    assert client.get(url("figures", village)).status_code == 403


def test_photos_lose_their_exif_location(client, village, resident):
    from PIL import Image

    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (30.0, 15.0, 0.0)}  # GPSInfo: latitude
    Image.new("RGB", (80, 60), (10, 120, 10)).save(out, "JPEG", exif=exif)
    client.force_login(resident)
    response = client.post(
        url("new", village),
        {
            "kind": "hazard",
            "text": "路灯坏了",
            "photos": [SimpleUploadedFile("gps.jpg", out.getvalue(), "image/jpeg")],
        },
    )
    assert response.status_code == 302
    photo = ReportPhoto.objects.get()
    with photo.image.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif()


def test_an_invisible_null_character_is_named_in_plain_chinese(
    client, village, resident
):
    """Django's own zh_Hans says "不允许是用空字符串" (wrongly worded) for a NUL."""
    client.force_login(resident)
    response = client.post(
        url("new", village), {"kind": "hazard", "text": "桥下\x00有坑", "place": ""}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "看不见的特殊字符" in body and "不允许是用空字符串" not in body

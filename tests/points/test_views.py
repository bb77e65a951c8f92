"""Pages: recording with photos, review, appeal, the household page."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest
from PIL import Image

from points.models import Appeal, Entry, EntryPhoto
from points.services.entries import entries_finalize_due, entry_approve, entry_record
from tests.factories import HouseholdFactory


def url(name, village, **kw):
    return reverse(f"points:{name}", kwargs={"village": village.slug, **kw})


def jpeg(size=(3000, 2000), fmt="JPEG", name="photo.jpg"):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def form_data(household, item, **kw):
    data = {
        "household": household.pk,
        "item": item.pk,
        "points": "",
        "occurred_on": timezone.localdate().isoformat(),
        "note": "打扫公共区域",
        "key": "k-1",
    }
    data.update(kw)
    return data


@pytest.mark.django_db
def test_grid_worker_records_with_a_photo_resized(
    client, village, household, good_item, grid_worker
):
    client.force_login(grid_worker)
    page = client.get(url("entry_new", village))
    assert page.status_code == 200
    assert household.number in page.content.decode()
    response = client.post(
        url("entry_new", village),
        {**form_data(household, good_item), "photos": [jpeg()]},
    )
    assert response.status_code == 302
    photo = EntryPhoto.objects.get()
    assert max(photo.width, photo.height) == 1600
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG"


@pytest.mark.django_db
def test_date_field_starts_at_today_in_chinese(
    client, settings, village, household, good_item, grid_worker
):
    # A date input reads only ISO dates: 2026/12/02 (the Chinese format) left it
    # empty, and the grid worker's entry was refused for want of a date.
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(grid_worker)
    page = client.get(url("entry_new", village), HTTP_ACCEPT_LANGUAGE="zh-hans")
    today = timezone.localdate().isoformat()
    assert page.context["LANGUAGE_CODE"] == "zh-hans"
    assert f'type="date" name="occurred_on" value="{today}"' in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile(
                "x.jpg", b"not an image at all", content_type="image/jpeg"
            ),
            "not a photo",
        ),
        ("bomb", "too large"),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_written(
    client, village, household, good_item, grid_worker, upload, message
):
    if upload == "bomb":
        out = io.BytesIO()
        Image.new("1", (10000, 10000)).save(out, "PNG")  # 100 megapixels, tiny file
        upload = SimpleUploadedFile(
            "bomb.png", out.getvalue(), content_type="image/png"
        )
    client.force_login(grid_worker)
    response = client.post(
        url("entry_new", village),
        {**form_data(household, good_item), "photos": [upload]},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Entry.objects.count() == 0 and EntryPhoto.objects.count() == 0


@pytest.mark.django_db
def test_foreign_household_and_bad_points_are_form_errors(
    client, village, other_village, household, good_item, grid_worker
):
    client.force_login(grid_worker)
    foreign = HouseholdFactory(village=other_village)
    for data in [
        form_data(foreign, good_item),
        form_data(household, good_item, points="99"),
        form_data(household, good_item, points="abc"),
        form_data(household, good_item, occurred_on="2026-13-45"),
    ]:
        response = client.post(url("entry_new", village), data)
        assert response.status_code == 400
    assert Entry.objects.count() == 0


@pytest.mark.django_db
def test_review_queue_is_for_the_committee_of_the_village(
    client, village, resident, grid_worker, other_committee, committee
):
    for user, status in [
        (resident, 403),
        (grid_worker, 403),
        (other_committee, 403),
        (committee, 200),
    ]:
        client.force_login(user)
        assert client.get(url("review", village)).status_code == status


@pytest.mark.django_db
def test_the_watchdogs_read_the_review_queue_and_decide_nothing(
    client, village, household, good_item, grid_worker, monitor, supervisor
):
    entry = entry_record(
        village=village,
        household=household,
        item=good_item,
        points=None,
        occurred_on=timezone.localdate(),
        note="",
        by=grid_worker,
        key="w",
    )
    for user in (monitor, supervisor):
        client.force_login(user)
        page = client.get(url("review", village))
        assert page.status_code == 200
        assert household.number in page.content.decode()
        assert "entry_review" not in page.content.decode()
        assert 'name="action"' not in page.content.decode()
        client.post(
            reverse(
                "points:entry_review", kwargs={"village": village.slug, "pk": entry.pk}
            ),
            {"action": "approve"},
        )
        entry.refresh_from_db()
        assert entry.status == Entry.Status.PROPOSED


@pytest.mark.django_db
def test_committee_approves_and_rejects_from_the_queue(
    client, village, household, good_item, grid_worker, committee
):
    a = entry_record(
        village=village,
        household=household,
        item=good_item,
        points=None,
        occurred_on=timezone.localdate(),
        note="",
        by=grid_worker,
        key="a",
    )
    b = entry_record(
        village=village,
        household=household,
        item=good_item,
        points=None,
        occurred_on=timezone.localdate(),
        note="",
        by=grid_worker,
        key="b",
    )
    client.force_login(committee)
    assert "参加志愿服务" in client.get(url("review", village)).content.decode()
    client.post(
        url("entry_review", village, pk=a.pk), {"action": "approve", "reason": ""}
    )
    client.post(
        url("entry_review", village, pk=b.pk), {"action": "reject", "reason": ""}
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == "approved"
    assert b.status == "proposed"  # a rejection needs a reason
    client.post(
        url("entry_review", village, pk=b.pk), {"action": "reject", "reason": "重复"}
    )
    b.refresh_from_db()
    assert b.status == "rejected"


@pytest.mark.django_db
def test_appeal_flow_through_the_pages(
    client, village, household, good_item, grid_worker, committee, household_rep
):
    entry = entry_record(
        village=village,
        household=household,
        item=good_item,
        points=None,
        occurred_on=timezone.localdate(),
        note="",
        by=grid_worker,
        key="a",
    )
    entry_approve(entry=entry, by=committee)
    client.force_login(household_rep)
    page = client.get(url("household", village, number=household.number))
    assert url("appeal_new", village, pk=entry.pk) in page.content.decode()
    assert (
        client.post(url("appeal_new", village, pk=entry.pk), {"reason": ""}).status_code
        == 400
    )
    response = client.post(
        url("appeal_new", village, pk=entry.pk), {"reason": "不是我家"}
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    client.force_login(committee)
    client.post(
        url("appeal_decide", village, pk=appeal.pk),
        {"decision": "reverse", "reason": "核实"},
    )
    appeal.refresh_from_db()
    assert appeal.status == "reversed"
    client.force_login(household_rep)
    page = client.get(
        url("household", village, number=household.number)
    ).content.decode()
    assert "核实" in page


@pytest.mark.django_db
def test_appeal_after_the_window_is_refused(
    client, village, household, good_item, grid_worker, committee, household_rep
):
    entry = entry_record(
        village=village,
        household=household,
        item=good_item,
        points=None,
        occurred_on=timezone.localdate(),
        note="",
        by=grid_worker,
        key="a",
    )
    entry_approve(entry=entry, by=committee)
    Entry.objects.filter(pk=entry.pk).update(
        notice_ends_at=timezone.now() - dt.timedelta(seconds=1)
    )
    client.force_login(household_rep)
    response = client.post(url("appeal_new", village, pk=entry.pk), {"reason": "晚了"})
    assert response.status_code == 400
    assert Appeal.objects.count() == 0


@pytest.mark.django_db
def test_household_page_is_private_to_those_who_may_see_it(
    client,
    village,
    household,
    neighbour,
    resident,
    monitor,
    supervisor,
    other_committee,
):
    from tests.factories import MembershipFactory

    stranger = MembershipFactory(village=village, household=neighbour).user
    page = url("household", village, number=household.number)
    for user, status in [
        (resident, 200),
        (monitor, 200),
        (supervisor, 200),
        (stranger, 403),
        (other_committee, 403),
    ]:
        client.force_login(user)
        assert client.get(page).status_code == status


@pytest.mark.django_db
def test_household_page_query_count_does_not_grow(
    client,
    village,
    household,
    good_item,
    bad_item,
    grid_worker,
    committee,
    household_rep,
):
    def add(n):
        for i in range(n):
            item = good_item if i % 2 else bad_item
            e = entry_record(
                village=village,
                household=household,
                item=item,
                points=None,
                occurred_on=timezone.localdate(),
                note="",
                by=grid_worker,
                key=f"{n}-{i}",
            )
            entry_approve(entry=e, by=committee)
        entries_finalize_due(
            village=village, now=timezone.now() + dt.timedelta(days=30)
        )

    page = url("household", village, number=household.number)
    client.force_login(household_rep)
    add(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(page).status_code == 200
    add(10)
    with CaptureQueriesContext(connection) as many:
        assert client.get(page).status_code == 200
    assert len(few) == len(many)
    assert len(many) <= 16, [q["sql"] for q in many.captured_queries]


@pytest.mark.django_db
def test_points_home_and_rules_pages(client, village, good_item, resident, committee):
    client.force_login(resident)
    assert client.get(url("home", village)).status_code == 200
    assert "参加志愿服务" in client.get(url("rules", village)).content.decode()
    client.force_login(committee)
    assert client.get(url("figures", village)).status_code == 200


@pytest.mark.django_db
def test_household_representative_claims_for_own_household_only(
    client, village, household, neighbour, good_item, household_rep
):
    client.force_login(household_rep)
    page = client.get(url("entry_new", village)).content.decode()
    assert household.number in page and neighbour.number not in page
    assert (
        client.post(
            url("entry_new", village), form_data(neighbour, good_item)
        ).status_code
        == 400
    )
    response = client.post(url("entry_new", village), form_data(household, good_item))
    assert response.status_code == 302
    assert Entry.objects.get().recorded_by == household_rep


@pytest.mark.django_db
def test_points_settings_are_the_committees(client, village, committee, resident):
    from points.models import PointsSettings

    client.force_login(resident)
    assert client.get(url("settings", village)).status_code == 403
    client.force_login(committee)
    assert client.get(url("settings", village)).status_code == 200
    good = {
        "notice_days": 5,
        "objection_days": 7,
        "red_percent": 10,
        "black_percent": 5,
        "red_privacy": "full",
        "black_privacy": "masked",
        "black_display_days": 30,
        "annual_budget": "",
    }
    assert (
        client.post(url("settings", village), {**good, "red_percent": 80}).status_code
        == 400
    )
    assert (
        client.post(url("settings", village), {**good, "notice_days": 0}).status_code
        == 400
    )
    assert client.post(url("settings", village), good).status_code == 302
    assert PointsSettings.objects.get(village=village).notice_days == 5

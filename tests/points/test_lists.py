"""The red/black list: draft, tell and object, review, publish a frozen snapshot,
privacy, display window, 信用户 export with consent, credit repair."""

import datetime as dt
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from notifications.models import Notification
from points.models import LedgerHead, ListLine, RankingList
from points.services.entries import entry_record, settings_for
from points.services.errors import PointsError
from points.services.ledger import ledger_record_deed
from points.services.lists import (
    line_consent,
    line_object,
    line_review,
    list_draft,
    list_notify,
    list_publish,
    period_bounds,
    repair_task_add,
    repair_task_verify,
)
from tests.factories import HouseholdFactory, MembershipFactory, UserFactory

YEAR = timezone.localdate().year - 1
START, END = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)


@pytest.fixture
def scored(village, household, neighbour):
    """Ten households with scores 10..100 and a rogue at −40; the head of each is named."""
    households = [household, neighbour] + [
        HouseholdFactory(village=village, number=f"LX-{i:03d}") for i in range(3, 11)
    ]
    for i, h in enumerate(households, start=1):
        ledger_record_deed(
            household=h, points=10 * i, effective_on=dt.date(YEAR, 5, 1), key=f"s{i}"
        )
        MembershipFactory(
            village=village,
            household=h,
            relation="head",
            is_household_rep=True,
            user=UserFactory(name=f"王{i}"),
        )
    rogue = HouseholdFactory(village=village, number="LX-099")
    ledger_record_deed(
        household=rogue, points=-40, effective_on=dt.date(YEAR, 6, 1), key="r"
    )
    rep = MembershipFactory(
        village=village,
        household=rogue,
        relation="head",
        is_household_rep=True,
        user=UserFactory(name="张三"),
    ).user
    return households, rogue, rep


def publish_ready(ranking, committee, note="核实无误"):
    ranking = list_notify(ranking=ranking, by=committee)
    for line in ranking.lines.filter(color="black"):
        line_review(line=line, by=committee, keep=True, note=note)
    return list_publish(
        ranking=ranking,
        by=committee,
        now=ranking.objection_ends_at + dt.timedelta(seconds=1),
    )


@pytest.mark.django_db
def test_draft_ranks_red_top_and_black_bottom(village, committee, scored):
    _households, rogue, _ = scored
    s = settings_for(village)
    s.red_percent, s.black_percent = 20, 10
    s.save()
    ranking = list_draft(
        village=village, period="year", starts_on=START, ends_on=END, by=committee
    )
    red = list(
        ranking.lines.filter(color="red")
        .order_by("rank")
        .values_list("household__number", flat=True)
    )
    black = list(
        ranking.lines.filter(color="black").values_list("household_id", flat=True)
    )
    assert red == ["LX-010", "LX-009", "LX-008"]  # ceil(11 × 20%) = 3
    assert black == [rogue.pk]
    head = LedgerHead.objects.get(village=village)
    assert (ranking.chain_seq, ranking.chain_hash) == (head.seq, head.hash)


@pytest.mark.django_db
def test_a_veto_item_forces_the_black_list_whatever_the_score(
    village, committee, scored, veto_item, grid_worker
):
    households, _rogue, _ = scored
    top = households[-1]
    veto_item.rulebook.year = YEAR
    veto_item.rulebook.save()
    from points.models import Entry

    entry = Entry.objects.create(
        village=village,
        household=top,
        item=veto_item,
        points=-50,
        occurred_on=dt.date(YEAR, 7, 1),
        recorded_by=grid_worker,
        status="final",
        reviewed_by=committee,
        idempotency_key="veto",
    )
    ranking = list_draft(
        village=village, period="year", starts_on=START, ends_on=END, by=committee
    )
    line = ranking.lines.get(household=top)
    assert line.color == "black" and line.veto and veto_item.name in line.reasons
    assert entry.pk


@pytest.mark.django_db
def test_household_is_told_objects_and_a_person_reviews_every_black_line(
    village, committee, scored
):
    _, rogue, rep = scored
    ranking = list_draft(
        village=village, period="year", starts_on=START, ends_on=END, by=committee
    )
    with pytest.raises(PointsError, match="Tell the black-listed households"):
        list_publish(ranking=ranking, by=committee)
    ranking = list_notify(ranking=ranking, by=committee)
    assert Notification.objects.filter(
        recipient=rep, title__contains="black list"
    ).exists()
    line = ranking.lines.get(household=rogue)
    line_object(line=line, by=rep, text="已经整改")
    with pytest.raises(PointsError, match="not ended"):
        list_publish(ranking=ranking, by=committee)
    later = ranking.objection_ends_at + dt.timedelta(seconds=1)
    with pytest.raises(PointsError, match="review"):
        list_publish(ranking=ranking, by=committee, now=later)
    line_review(line=line, by=committee, keep=True, note="证据确凿")
    ranking = list_publish(ranking=ranking, by=committee, now=later)
    assert ranking.status == "published" and ranking.snapshot_hash
    # frozen: nothing changes after publication
    with pytest.raises(PointsError):
        line_review(line=line, by=committee, keep=False, note="改")
    with pytest.raises(PointsError):
        list_publish(ranking=ranking, by=committee)


@pytest.mark.django_db
def test_objection_after_the_window_is_refused(village, committee, scored):
    _, rogue, rep = scored
    ranking = list_notify(
        ranking=list_draft(
            village=village, period="year", starts_on=START, ends_on=END, by=committee
        ),
        by=committee,
    )
    RankingList.objects.filter(pk=ranking.pk).update(objection_ends_at=timezone.now())
    with pytest.raises(PointsError, match="closed"):
        line_object(line=ranking.lines.get(household=rogue), by=rep, text="晚了")


@pytest.mark.django_db
def test_published_list_masks_names_and_hides_black_after_the_window(
    client, village, committee, scored, resident, monkeypatch
):
    ranking = publish_ready(
        list_draft(
            village=village, period="year", starts_on=START, ends_on=END, by=committee
        ),
        committee,
    )
    client.force_login(resident)
    page = client.get(
        reverse("points:list", kwargs={"village": village.slug, "pk": ranking.pk})
    )
    html = page.content.decode()
    assert "张**" in html and "张三" not in html
    assert "王10" not in html and "王**" in html
    assert "LX-099" not in html  # no household number when names are masked
    assert "证据确凿" not in html and "核实无误" not in html  # no reasons in public
    # The window passes (a published list itself never changes).
    after = ranking.black_shown_until + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: after)
    html = client.get(
        reverse("points:list", kwargs={"village": village.slug, "pk": ranking.pk})
    ).content.decode()
    assert "张**" not in html


@pytest.mark.django_db
def test_list_page_query_count_is_fixed(client, village, committee, scored, resident):
    ranking = publish_ready(
        list_draft(
            village=village, period="year", starts_on=START, ends_on=END, by=committee
        ),
        committee,
    )
    client.force_login(resident)
    page = reverse("points:list", kwargs={"village": village.slug, "pk": ranking.pk})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page).status_code == 200
    assert len(queries) <= 10, [q["sql"] for q in queries.captured_queries]


@pytest.mark.django_db
def test_published_list_closes_its_period(
    village, committee, scored, good_item, grid_worker
):
    publish_ready(
        list_draft(
            village=village, period="year", starts_on=START, ends_on=END, by=committee
        ),
        committee,
    )
    good_item.rulebook.year = YEAR
    good_item.rulebook.save()
    households, _, _ = scored
    with pytest.raises(PointsError, match="closed"):
        entry_record(
            village=village,
            household=households[0],
            item=good_item,
            points=None,
            occurred_on=dt.date(YEAR, 3, 3),
            note="",
            by=committee,
            key="late",
        )


@pytest.mark.django_db
def test_credit_export_lists_only_consenting_red_households(
    client, village, committee, scored
):
    households, _, _ = scored
    ranking = publish_ready(
        list_draft(
            village=village, period="year", starts_on=START, ends_on=END, by=committee
        ),
        committee,
    )
    top = ranking.lines.get(household=households[-1])
    rep = top.household.members.get(is_household_rep=True).user
    line_consent(line=top, by=rep, consent=True)
    client.force_login(committee)
    response = client.get(
        reverse(
            "points:credit_export", kwargs={"village": village.slug, "pk": ranking.pk}
        )
    )
    rows = list(
        load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert [r[1] for r in rows[1:]] == [households[-1].number]


@pytest.mark.django_db
def test_credit_repair_shows_the_household_as_repaired(
    client, village, committee, second_committee, scored
):
    _, rogue, rep = scored
    ranking = publish_ready(
        list_draft(
            village=village, period="year", starts_on=START, ends_on=END, by=committee
        ),
        committee,
    )
    line = ranking.lines.get(household=rogue)
    task = repair_task_add(
        line=line, by=committee, description="参加志愿服务", hours=10
    )
    client.force_login(rep)
    household_page = reverse(
        "points:household", kwargs={"village": village.slug, "number": rogue.number}
    )
    assert "参加志愿服务" in client.get(household_page).content.decode()
    repair_task_verify(task=task, by=second_committee)
    client.force_login(rep)
    list_page = reverse(
        "points:list", kwargs={"village": village.slug, "pk": ranking.pk}
    )
    assert "credit repaired" in client.get(list_page).content.decode()
    assert ListLine.objects.get(pk=line.pk).repair_tasks.get().verified_at


@pytest.mark.django_db
def test_draft_needs_a_finished_period_and_the_committee(village, committee, resident):
    this_year = timezone.localdate().year
    with pytest.raises(PointsError, match="ended"):
        list_draft(
            village=village,
            period="year",
            starts_on=dt.date(this_year, 1, 1),
            ends_on=dt.date(this_year, 12, 31),
            by=committee,
        )
    with pytest.raises(PointsError, match="committee"):
        list_draft(
            village=village, period="year", starts_on=START, ends_on=END, by=resident
        )
    assert period_bounds("quarter", 2025, 2) == (
        dt.date(2025, 4, 1),
        dt.date(2025, 6, 30),
    )
    assert period_bounds("month", 2024, 2) == (
        dt.date(2024, 2, 1),
        dt.date(2024, 2, 29),
    )
    with pytest.raises(PointsError):
        period_bounds("quarter", 2025, 5)


@pytest.mark.django_db
def test_red_list_card_on_the_village_home_page(village, committee, scored):
    from django.template.loader import render_to_string

    from cms_home.slots import home_slots
    from points.slots import red_list_slot

    slot = next(s for s in home_slots() if s.key == "red_list")
    assert slot.template == "points/home_slot.html"
    assert red_list_slot(village=village, request=None)["ranking"] is None
    ranking = publish_ready(
        list_draft(
            village=village, period="year", starts_on=START, ends_on=END, by=committee
        ),
        committee,
    )
    with CaptureQueriesContext(connection) as queries:
        data = red_list_slot(village=village, request=None)
    assert len(queries) == 2
    html = render_to_string(
        slot.template, {"slot": slot, "data": data, "village": village}
    )
    assert "王**" in html and "张" not in html
    assert data["ranking"].pk == ranking.pk


@pytest.mark.django_db
def test_a_line_taken_off_in_review_gets_no_repair_task(
    client, village, committee, scored
):
    _, rogue, _ = scored
    ranking = list_notify(
        ranking=list_draft(
            village=village, period="year", starts_on=START, ends_on=END, by=committee
        ),
        by=committee,
    )
    line = ranking.lines.get(household=rogue)
    line_review(line=line, by=committee, keep=False, note="已整改")
    ranking = list_publish(
        ranking=ranking,
        by=committee,
        now=ranking.objection_ends_at + dt.timedelta(seconds=1),
    )
    with pytest.raises(PointsError, match="black-list lines"):
        repair_task_add(line=line, by=committee, description="志愿服务", hours=4)
    client.force_login(committee)
    page = client.get(
        reverse("points:list", kwargs={"village": village.slug, "pk": ranking.pk})
    )
    assert rogue.number not in page.content.decode()


@pytest.mark.django_db
def test_before_publication_a_household_sees_only_its_own_line(
    client, village, committee, scored
):
    _, rogue, rep = scored
    ranking = list_notify(
        ranking=list_draft(
            village=village, period="year", starts_on=START, ends_on=END, by=committee
        ),
        by=committee,
    )
    client.force_login(rep)
    html = client.get(
        reverse("points:list", kwargs={"village": village.slug, "pk": ranking.pk})
    ).content.decode()
    assert ranking.lines.get(household=rogue).reasons in html
    assert "Credit household" not in html  # red lines have no public name yet
    assert "display period is over" not in html  # it has not even begun

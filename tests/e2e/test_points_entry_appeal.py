"""Journey: a grid worker records a points entry on the phone with an evidence
photo; a committee member approves it; the household's representative sees who
recorded and who approved it and appeals within the notice period (公示); another
committee member reverses it with a reason, and the household sees the decision."""

import io

from django.utils import timezone

from PIL import Image

from points.models import Appeal, Entry, EntryPhoto
from tests.factories import MembershipFactory, UserFactory
from tests.points.factories import RuleBookFactory, RuleCategoryFactory, RuleItemFactory


def evidence_jpeg(path) -> None:
    """A small photo as a phone would send it: a street swept clean."""
    image = Image.new("RGB", (640, 480), (90, 140, 200))
    for x in range(0, 640, 40):
        image.paste((240, 220, 120), (x, 300, x + 20, 480))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    path.write_bytes(out.getvalue())


def member(village, name, **roles):
    return MembershipFactory(village=village, user=UserFactory(name=name), **roles).user


def test_entry_recorded_approved_appealed_and_reversed(
    journey, tmp_path, village, grid, household
):
    recorder = member(village, "王网格", grid=grid, is_grid_worker=True)
    approver = member(village, "李委员", is_committee=True)
    decider = member(village, "赵主任", is_committee=True)
    rep = member(
        village,
        "张大山",
        household=household,
        grid=grid,
        relation="head",
        is_household_rep=True,
    )
    rulebook = RuleBookFactory(village=village, year=timezone.localdate().year)
    category = RuleCategoryFactory(rulebook=rulebook, name="村庄环境")
    item = RuleItemFactory(
        category=category,
        code="H01",
        name="门前屋后清扫整洁",
        points=5,
        evidence_required=True,
    )
    base = f"/v/{village.slug}/points/"
    photo = tmp_path / "evidence.jpg"
    evidence_jpeg(photo)

    # The grid worker records on the phone, with the photo from the camera roll.
    worker = journey.phone(user=recorder)
    worker.goto(base + "entries/new/")
    assert worker.input_value("input[name=occurred_on]") == (
        timezone.localdate().isoformat()
    ), "the date field must start at today, in the form a date input reads"
    worker.select_option("select[name=household]", label=household.number)
    worker.select_option("select[name=item]", str(item.pk))
    worker.fill("textarea[name=note]", "主动清理门前水沟，拍照为证")
    worker.set_input_files("input[name=photos]", str(photo))
    journey.shot(worker, "record-entry")
    worker.click("main form button[type=submit]")
    worker.wait_for_selector(".messages")
    assert household.number in worker.inner_text(".messages")
    journey.shot(worker, "recorded")
    entry = Entry.objects.get()
    assert entry.recorded_by == recorder and entry.status == Entry.Status.PROPOSED
    assert entry.points == 5 and EntryPhoto.objects.filter(entry=entry).count() == 1
    # A grid worker does not review, so cannot decide appeals either.
    assert worker.goto(base + "review/").status == 403

    # A committee member sees the entry and its photo in the queue, and approves.
    committee = journey.phone(user=approver)
    committee.goto(base + "review/")
    queue = committee.locator("ul.list > li", has_text=item.name)
    assert "王网格" in queue.inner_text()
    # The evidence photo loads for the reviewer (served from private storage).
    committee.wait_for_function(
        "() => [...document.images].some(i => i.complete && i.naturalWidth > 0)"
    )
    journey.shot(committee, "review-queue")
    with committee.expect_navigation():
        queue.locator("button[value=approve]").click()
    entry.refresh_from_db()
    assert entry.status == Entry.Status.APPROVED and entry.reviewed_by == approver
    assert entry.notice_ends_at > timezone.now()

    # The household sees the entry, who recorded and who approved, and appeals.
    home = journey.phone(user=rep)
    home.goto(base + f"households/{household.number}/")
    card = home.locator("ul.list > li", has_text=item.name)
    text = card.inner_text()
    assert "登记人：王网格" in text and "审核人：李委员" in text
    assert "公示至" in text
    journey.shot(home, "household-in-notice")
    card.get_by_role("link", name="申诉").click()
    home.wait_for_url("**/appeal/")
    journey.shot(home, "appeal-form")
    # An empty reason is stopped by the phone before anything is sent.
    home.click("main form button[type=submit]")
    reason = home.locator("textarea[name=reason]")
    assert reason.evaluate("e => e.validity.valueMissing")
    assert home.url.endswith("/appeal/")
    reason.fill("当天我家在外走亲戚，门前是邻居打扫的")
    home.click("main form button[type=submit]")
    home.wait_for_url(f"**/households/{household.number}/")
    assert "申诉已提交" in home.content()
    appeal = Appeal.objects.get()
    assert appeal.filed_by == rep and appeal.status == Appeal.Status.OPEN

    # Someone other than the recorder decides: the committee's director reverses.
    head = journey.phone(user=decider)
    head.goto(base + "review/")
    open_appeal = head.locator("ul.list > li", has_text="走亲戚")
    open_appeal.get_by_label("撤销该记录").check()
    open_appeal.locator("textarea[name=reason]").fill("经走访邻居核实，清扫的是邻户")
    journey.shot(head, "appeal-to-decide")
    with head.expect_navigation():
        open_appeal.locator("button[type=submit]").click()
    appeal.refresh_from_db()
    entry.refresh_from_db()
    assert appeal.status == Appeal.Status.REVERSED and appeal.decided_by == decider
    assert entry.status == Entry.Status.OVERTURNED

    # The household sees the decision, who made it and why.
    home.reload()
    text = home.locator("ul.list > li", has_text=item.name).inner_text()
    assert "处理人：赵主任" in text and "经走访邻居核实" in text
    assert home.get_by_role("link", name="申诉").count() == 0
    journey.shot(home, "household-decided")

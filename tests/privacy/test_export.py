"""A person's data export: what it holds, what it never holds, and its cost."""

import io
import json
import zipfile

import openpyxl
import pytest

from audit.models import AuditEntry
from privacy.errors import PrivacyError
from privacy.exports import KINDS, README_NAME, WORKBOOK_NAME
from privacy.services import EXPORTS_PER_HOUR, person_export
from tests.privacy.conftest import NEIGHBOUR_NAME, NEIGHBOUR_NUMBER, NEIGHBOUR_PHONE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def unpack(content: bytes) -> tuple[dict, openpyxl.Workbook, str]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    tables = {
        name[: -len(".json")]: json.loads(archive.read(name))
        for name in archive.namelist()
        if name.endswith(".json")
    }
    workbook = openpyxl.load_workbook(io.BytesIO(archive.read(WORKBOOK_NAME)))
    return tables, workbook, archive.read(README_NAME).decode()


def rows(tables, key) -> list[dict]:
    return tables[key]["rows"]


def test_the_zip_has_a_json_file_and_a_sheet_per_kind(make_history):
    person = make_history(1)
    tables, workbook, readme = unpack(person_export(user=person))
    assert set(tables) == set(KINDS)
    # "About" first, then one sheet per kind, titled as the JSON says.
    assert workbook.sheetnames[0] == "About"
    assert workbook.sheetnames[1:] == [tables[k]["title"] for k in KINDS]
    sheet = workbook[tables["comments"]["title"]]
    header = [c.value for c in sheet[1]]
    assert header == list(tables["comments"]["columns"].values())
    assert "never what you chose" in readme


def test_the_export_holds_the_persons_own_history(make_history, household_rep):
    person = make_history(2)
    tables, _workbook, _readme = unpack(person_export(user=person))

    [account] = rows(tables, "account")
    assert account["name"] == person.name
    assert account["phone"].replace(" ", "") == person.phone[3:]
    [membership] = rows(tables, "memberships")
    assert membership["household"] == "LX-001"
    assert "household representative" in membership["roles"]

    members = rows(tables, "household")
    assert {m["household"] for m in members} == {"LX-001"}
    assert len(members) == 2  # the representative and the resident
    assert [m["is_you"] for m in members].count(True) == 1

    entries = rows(tables, "points_entries")
    assert len(entries) == 4
    assert {e["household"] for e in entries} == {"LX-001"}
    assert all(e["recorded_by"] and e["reviewed_by"] for e in entries)
    assert len(rows(tables, "claims")) == 2
    appeals = rows(tables, "appeals")
    assert len(appeals) == 2 and all(a["decided_by"] for a in appeals)
    [balance] = rows(tables, "balance")
    # 2 × (10 − 2) earned, 2 × 5 spent at the shop
    assert (balance["balance"], balance["spendable"]) == (6, 6)
    ledger = rows(tables, "ledger")
    assert sum(t["amount"] for t in ledger) == 6
    assert {t["kind"] for t in ledger} == {"award", "deduction", "redemption"}
    vouchers = rows(tables, "vouchers")
    assert len(vouchers) == 2 and vouchers[0]["goods"] == ["洗衣皂 × 1"]

    comments = rows(tables, "comments")
    assert len(comments) == 2
    assert comments[0]["text"].startswith("我同意，先修主路")
    assert comments[0]["earlier_versions"][0].endswith("我同意 1")
    assert len(rows(tables, "topics")) == 2
    assert len(rows(tables, "cosignatures")) == 2
    assert len(rows(tables, "comment_flags")) == 2
    participations = rows(tables, "participations")
    assert len(participations) == 4
    paper = [p for p in participations if p["paper_ballot"]]
    assert len(paper) == 2
    assert all(p["recorded_by"] and p["consent"] == "本人口头同意" for p in paper)
    assert len(rows(tables, "ratings")) == 2
    reports = rows(tables, "reports")
    assert len(reports) == 2 and len(reports[0]["photos"]) == 1
    assert len(rows(tables, "me_too")) == 2
    titles = {n["title"] for n in rows(tables, "notifications")}
    assert {"给你的消息 1", "给你的消息 2"} <= titles
    from notifications.models import Kind

    assert len(rows(tables, "message_settings")) == len(Kind.values)


def test_a_grid_worker_sees_paper_ballots_they_recorded_but_not_for_whom(
    make_history, grid_worker, household_rep
):
    make_history(1)
    tables, _workbook, _readme = unpack(person_export(user=grid_worker))
    [recorded] = rows(tables, "paper_ballots_recorded")
    assert recorded["count"] == 1
    assert household_rep.name not in json.dumps(tables, ensure_ascii=False)


def test_the_export_never_holds_another_households_data(make_history):
    person = make_history(2)
    content = person_export(user=person)
    tables, workbook, _readme = unpack(content)
    text = json.dumps(tables, ensure_ascii=False)
    assert NEIGHBOUR_NUMBER not in text
    assert NEIGHBOUR_PHONE not in text and NEIGHBOUR_PHONE[3:] not in text
    assert "邻居的意见" not in text and "给邻居的消息" not in text
    assert "邻居的建议" not in text
    # The neighbour's name appears nowhere, not even as the proposer of the
    # topic the person co-signed (the topic's title is the person's data).
    assert NEIGHBOUR_NAME not in text
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert NEIGHBOUR_NAME not in str(value or "")


def test_the_export_never_holds_the_ballot_choice_or_secrets(make_history, card):
    person = make_history(1)
    content = person_export(user=person)
    tables, _workbook, _readme = unpack(content)
    text = json.dumps(tables, ensure_ascii=False)
    from deliberation.models import Ballot
    from points.shop.models import Voucher

    for ballot in Ballot.objects.all():
        assert ballot.token not in text
        assert str(ballot.pk) not in text
    for voucher in Voucher.objects.all():
        assert voucher.token_hash not in text
    assert card.pin_hash not in text and card.token_hash not in text
    assert person.password not in text
    for column in ("choice", "choices", "option", "ballot"):
        assert column not in tables["participations"]["columns"]
    [card_row] = rows(tables, "household_card")
    assert card_row["household"] == "LX-001" and card_row["revoked"] is None


def test_spreadsheet_cells_that_look_like_formulas_stay_text(
    make_history, household_rep
):
    from deliberation.services.comments import comment_add
    from tests.deliberation.factories import TopicFactory

    person = make_history(1)
    topic = TopicFactory(village=person.memberships.get().village)
    comment_add(topic=topic, by=person, body='=HYPERLINK("http://evil","x")')
    comment_add(topic=topic, by=person, body="+1 同意")
    comment_add(topic=topic, by=person, body="-2 反对")
    comment_add(topic=topic, by=person, body="@SUM(A1)")
    tables, workbook, _readme = unpack(person_export(user=person))
    sheet = workbook[tables["comments"]["title"]]
    texts = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    for raw in ['=HYPERLINK("http://evil","x")', "+1 同意", "-2 反对", "@SUM(A1)"]:
        assert "'" + raw in texts
        assert raw not in texts
    # JSON is not a spreadsheet: it keeps the text as written.
    assert '=HYPERLINK("http://evil","x")' in [
        c["text"] for c in rows(tables, "comments")
    ]
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)


def test_audit_rows_of_the_persons_actions_and_about_them(
    make_history, household_rep, committee
):
    from audit.services import audit_log

    person = make_history(1)
    membership = person.memberships.get()
    audit_log(
        actor=committee,
        action="cms.approver_set",
        village=membership.village,
        target=membership,
        note="关于你",
    )
    audit_log(actor=committee, action="points.entry_approve", note="别人的事")
    tables, _workbook, _readme = unpack(person_export(user=person))
    audit = rows(tables, "audit")
    notes = {a["note"] for a in audit}
    assert "关于你" in notes and "别人的事" not in notes
    # the person's own actions (their claims' appeals, …) are listed by what and when
    acted = [a for a in audit if a["role"] == "you acted"]
    assert acted and all(a["before"] is None and a["object"] == "" for a in acted)


def test_the_export_is_audited_and_rate_limited(household_rep):
    for _ in range(EXPORTS_PER_HOUR):
        person_export(user=household_rep)
    assert (
        AuditEntry.objects.filter(action="privacy.export", actor=household_rep).count()
        == EXPORTS_PER_HOUR
    )
    with pytest.raises(PrivacyError, match="Try again later"):
        person_export(user=household_rep)
    assert (
        AuditEntry.objects.filter(action="privacy.export").count() == EXPORTS_PER_HOUR
    )


def test_exports_older_than_an_hour_no_longer_count(household_rep):
    import time

    from django.core.cache import cache

    from privacy.services import EXPORT_WINDOW, export_allowed

    key = f"privacy:export:user:{household_rep.pk}"
    cache.set(key, [time.time() - EXPORT_WINDOW - 1] * EXPORTS_PER_HOUR, None)
    assert export_allowed(user=household_rep)
    person_export(user=household_rep)
    cache.set(key, [time.time() - 60] * EXPORTS_PER_HOUR, None)
    assert not export_allowed(user=household_rep)
    with pytest.raises(PrivacyError):
        person_export(user=household_rep)


def test_the_limit_is_per_person(household_rep, resident):
    for _ in range(EXPORTS_PER_HOUR):
        person_export(user=household_rep)
    person_export(user=resident)


def test_a_person_in_no_village_gets_their_account_only(db):
    from tests.factories import UserFactory

    user = UserFactory()
    tables, _workbook, _readme = unpack(person_export(user=user))
    assert len(rows(tables, "account")) == 1
    assert rows(tables, "memberships") == [] and rows(tables, "household") == []


def test_query_count_is_fixed_whatever_the_history(
    make_history, django_assert_num_queries
):
    from django.core.cache import cache

    person = make_history(1)
    with django_assert_num_queries(QUERIES):
        person_export(user=person)
    make_history(3)
    cache.clear()
    with django_assert_num_queries(QUERIES):
        person_export(user=person)


# One read per kind (a few with a prefetch: comments' earlier versions, list
# lines' repair tasks, voucher lines, report photos and steps), the audit row.
QUERIES = 30

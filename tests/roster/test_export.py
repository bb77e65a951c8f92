"""Export: the import's layout, safe to open in a spreadsheet, and it reads back."""

from django.urls import reverse

import pytest

from audit.models import AuditEntry
from tests.factories import MembershipFactory, UserFactory
from tests.roster.workbooks import HEADER, read_workbook


def _export(client, village):
    response = client.get(reverse("roster:export", kwargs={"village": village.slug}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return read_workbook(
        b"".join(response.streaming_content) if response.streaming else response.content
    )


def test_export_has_the_import_headers_and_local_phones(
    committee_client, village, household, household_rep, committee
):
    rows = _export(committee_client, village)
    assert rows[0] == HEADER
    by_phone = {row[1]: row for row in rows[1:]}
    rep = by_phone[household_rep.phone.removeprefix("+86")]
    assert rep == [
        household_rep.name,
        household_rep.phone[3:],
        household.number,
        "户主",
        1980,
        "第一网格",
        "村民、户代表",
    ]
    entry = AuditEntry.objects.get(action="roster.export")
    assert entry.actor == committee and entry.after == {"rows": 2}


@pytest.mark.parametrize(
    "name",
    ['=HYPERLINK("http://x","点我")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"],
)
def test_export_neutralises_cells_a_spreadsheet_would_run(
    committee_client, village, name
):
    MembershipFactory(village=village, user=UserFactory(name=name))
    rows = _export(committee_client, village)
    names = [row[0] for row in rows[1:]]
    # (XML turns a carriage return into a line feed; what matters is the quote.)
    assert any(n.startswith("'") and n[2:] == name[1:] for n in names)
    for row in rows[1:]:
        for cell in row:
            assert not (
                isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r")
            )


def test_foreign_numbers_are_neutralised(committee_client, village):
    MembershipFactory(village=village, user=UserFactory(phone="+85291234567"))
    phones = [row[1] for row in _export(committee_client, village)[1:]]
    assert "'+85291234567" in phones


def test_export_then_import_changes_nothing(
    village,
    household,
    household_rep,
    resident,
    grid_worker,
    shopkeeper,
    monitor,
    committee_client,
    import_roster,
):
    MembershipFactory(
        village=village,
        user=UserFactory(name="=1+1"),
        relation="other",
        birth_year=None,
    )
    MembershipFactory(
        village=village,
        user=UserFactory(phone="+85291234567"),
        is_resident=False,
        is_monitor=True,
    )
    response = committee_client.get(
        reverse("roster:export", kwargs={"village": village.slug})
    )
    roster_import = import_roster(response.content)
    assert roster_import.summary["rows"] == 8
    assert roster_import.summary["created"] == 0
    assert roster_import.summary["updated"] == 0
    assert not AuditEntry.objects.filter(action="roster.import").exists()

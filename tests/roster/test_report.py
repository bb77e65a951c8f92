"""The check report: every bad row, with its Excel row number and column, and
nothing saved."""

from django.urls import reverse

import pytest

from accounts.models import User
from roster.columns import HEADERS
from roster.models import RosterImport
from tests.factories import GridFactory, HouseholdFactory, MembershipFactory
from tests.roster.workbooks import person, workbook_bytes
from villages.models import Household, Membership


@pytest.fixture(autouse=True)
def _grids(grid, village):
    GridFactory(village=village, name="第二网格")


def _counts():
    return (User.objects.count(), Household.objects.count(), Membership.objects.count())


def _problems(roster_import):
    return {(p["row"], p["column"], p["code"]) for p in roster_import.errors}


@pytest.mark.parametrize(
    ("bad_row", "column", "code"),
    [
        (person(name=""), "name", "name_missing"),
        (person(name="长" * 61), "name", "name_too_long"),
        (person(phone=None), "phone", "phone_missing"),
        (person(phone="12345"), "phone", "phone_invalid"),
        (person(phone="138 0013 800O"), "phone", "phone_invalid"),
        (person(year="一九八零"), "birth_year", "year_invalid"),
        (person(year=1850), "birth_year", "year_invalid"),
        (person(year=2999), "birth_year", "year_invalid"),
        (person(relation="邻居"), "relation", "relation_unknown"),
        (person(grid="第九网格"), "grid", "grid_unknown"),
        (person(roles="村民、村长"), "roles", "role_unknown"),
        (person(household=None, roles="户代表"), "household", "rep_without_household"),
    ],
)
def test_each_kind_of_bad_row_is_reported_with_its_row_and_column(
    committee_client, village, upload, bad_row, column, code
):
    before = _counts()
    good = person(name="李四", phone="13900139000", household="LX-200", roles="村民")
    also_good = person(name="李五", phone="13900139001", household="LX-200", roles="")
    response = upload(workbook_bytes([good, also_good, bad_row]))

    roster_import = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == roster_import.get_absolute_url()
    assert roster_import.status == RosterImport.Status.INVALID
    # Header on row 1, two good rows, so the bad one is Excel row 4.
    assert _problems(roster_import) == {(4, column, code)}
    assert _counts() == before

    page = committee_client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "<td>4</td>" in html
    assert f"<td>{HEADERS[column]}</td>" in html
    confirm = reverse(
        "roster:import_confirm",
        kwargs={"village": village.slug, "pk": roster_import.pk},
    )
    assert confirm not in html


def test_problems_across_rows(upload):
    rows = [
        person(phone="13800138000", household="LX-1", roles="户代表"),
        person(name="张三", phone="138 0013 8000", household="LX-2", roles="村民"),
        person(name="王五", phone="13700137000", household="LX-1", roles="户代表"),
        person(
            name="赵六",
            phone="13600136000",
            household="LX-1",
            grid="第二网格",
            roles="",
        ),
    ]
    upload(workbook_bytes(rows))
    roster_import = RosterImport.objects.get()
    assert _problems(roster_import) == {
        (3, "phone", "phone_duplicate"),
        (4, "roles", "rep_duplicate"),
        (5, "grid", "grid_conflict"),
    }
    params = {p["code"]: p["params"] for p in roster_import.errors}
    assert params["phone_duplicate"] == {"first_row": 2}
    assert params["rep_duplicate"] == {"household": "LX-1", "first_row": 2}


def test_row_numbers_count_title_rows_and_blank_rows(upload):
    rows = [person(), [None] * 7, person(name="", phone="13900139000", roles="")]
    upload(workbook_bytes(rows, above=[["柳溪村花名册"], []]))
    # title on 1, blank 2, header 3, data 4, blank 5, bad row 6
    assert _problems(RosterImport.objects.get()) == {(6, "name", "name_missing")}


def test_existing_representative_not_in_the_file_keeps_the_role(
    village, household, household_rep, upload
):
    upload(workbook_bytes([person(household=household.number, roles="户代表")]))
    roster_import = RosterImport.objects.get()
    assert _problems(roster_import) == {(2, "roles", "rep_existing")}
    assert roster_import.errors[0]["params"]["household"] == household.number


def test_lenient_headers_and_phone_spellings(upload, village):
    header = [
        " 姓 名 ",
        "手机号码（必填）",
        "户号",
        "与户主的关系",
        "出生年",
        "所属网格",
        "身份",
    ]
    rows = [
        person(phone="138 0013 8000"),
        person(name="张三", phone="+86 13900139000", roles="村民"),
        person(name="李四", phone=13700137000, roles="网格员, 村两委"),
        person(
            name="王五", phone=13600136000.0, relation="儿子", year="1990年", roles=""
        ),
        person(
            name="赵六",
            phone="0086-135-0013-5000",
            relation="儿媳/女婿",
            year=1991.0,
            roles="居民/店主",
        ),
    ]
    upload(workbook_bytes(rows, header=header))
    roster_import = RosterImport.objects.get()
    assert roster_import.errors == []
    assert roster_import.status == RosterImport.Status.VALIDATED
    assert roster_import.total_rows == 5
    assert roster_import.summary["created"] == 5
    assert roster_import.summary["households_created"] == 1


def test_validated_report_offers_confirmation(committee_client, village, upload):
    response = upload(workbook_bytes([person()]))
    page = committee_client.get(response["Location"])
    html = page.content.decode()
    assert (
        reverse(
            "roster:import_confirm",
            kwargs={"village": village.slug, "pk": RosterImport.objects.get().pk},
        )
        in html
    )
    assert 'http-equiv="refresh"' not in html
    assert village.name in html


def test_nothing_is_saved_when_a_row_is_bad_even_if_others_are_good(upload, village):
    before = _counts()
    rows = [
        person(name=f"村民{i}", phone=f"1390013{i:04d}", household=f"LX-{i}")
        for i in range(20)
    ]
    rows.append(person(phone="bad"))
    upload(workbook_bytes(rows))
    assert _counts() == before
    assert not MembershipFactory._meta.model.objects.filter(
        village=village, user__phone="+8613900130001"
    ).exists()
    assert not HouseholdFactory._meta.model.objects.filter(number="LX-1").exists()

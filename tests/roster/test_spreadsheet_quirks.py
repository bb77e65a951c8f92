"""What village spreadsheets hold besides plain values: merged cells and formulas.

A household number merged over its members' rows belongs to each member; a
formula is read as the result Excel saved with it, and one without a saved result
(or with an error for a result) is refused with its rows, never imported empty.
"""

import pytest

from roster.models import RosterImport
from tests.roster.workbooks import (
    HEADER,
    merged_workbook_bytes,
    person,
    with_formula,
    workbook_bytes,
)
from villages.models import Membership

FAMILY = [
    person("王大山", "13800138000", "LX-101", "户主", 1965, "第一网格", "村民"),
    person("李桂芳", "13800138001", None, "配偶", 1967, None, "村民"),
    person("王小明", "13800138002", None, "子女", 1990, None, "村民"),
    person("陈店主", "13800138003", "LX-102", "户主", 1980, "第一网格", "村民"),
]

NAMES = [row[0] for row in FAMILY]


def _households_and_grids(village):
    people = Membership.objects.filter(village=village, user__name__in=NAMES)
    return (
        dict(people.values_list("user__name", "household__number")),
        dict(people.values_list("user__name", "grid__name")),
    )


def test_a_household_number_and_grid_merged_over_members_belong_to_each(
    village, grid, import_roster
):
    # 户号 is column C, 网格 column F; rows 2-4 are one household.
    content = merged_workbook_bytes(FAMILY, merges=["C2:C4", "F2:F4"])
    import_roster(content)
    households, grids = _households_and_grids(village)
    assert households == {
        "王大山": "LX-101",
        "李桂芳": "LX-101",
        "王小明": "LX-101",
        "陈店主": "LX-102",
    }
    assert set(grids.values()) == {"第一网格"}


def test_a_merged_title_above_the_header_is_not_data(village, grid, import_roster):
    content = merged_workbook_bytes(
        [["柳溪村花名册"], HEADER, *FAMILY],
        merges=["A1:G1", "C3:C5"],
        header=None,
    )
    import_roster(content)
    households, _grids = _households_and_grids(village)
    assert households["王小明"] == "LX-101"


def test_a_formula_is_read_as_the_result_excel_saved(village, grid, import_roster):
    rows = [FAMILY[0], person("李桂芳", "13800138001", "x", "配偶", 1967, "第一网格")]
    content = with_formula(workbook_bytes(rows), "C3", "C2", cached="LX-101")
    import_roster(content)
    households, _grids = _households_and_grids(village)
    assert households["李桂芳"] == "LX-101"


@pytest.mark.parametrize(
    ("cached", "code"),
    [(None, "formula_without_value"), ("#REF!", "formula_error")],
)
def test_a_formula_without_a_result_is_refused_with_its_rows(
    village, upload, cached, code
):
    rows = [FAMILY[0], *[person(f"成员{i}", f"1380013801{i}", "x") for i in range(3)]]
    content = with_formula(workbook_bytes(rows), "C3", "C2", cached=cached)
    content = with_formula(content, "C5", "C2", cached=cached)
    response = upload(content)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.has_error("file", code)
    message = form.errors["file"][0]
    assert "3、5" in message
    assert not RosterImport.objects.exists()
    assert not Membership.objects.filter(user__name__startswith="成员").exists()


def test_a_formula_without_a_result_outside_the_roster_columns_is_ignored(
    village, grid, import_roster
):
    header = ["姓名", "手机号", "户号", "备注"]
    content = workbook_bytes([["王大山", "13800138000", "LX-101", "x"]], header=header)
    import_roster(with_formula(content, "D2", "A2&C2"))
    assert Membership.objects.filter(user__name="王大山").exists()


def test_the_upload_page_names_the_rows(village, upload):
    content = with_formula(workbook_bytes([FAMILY[0]]), "C2", "1+1")
    html = upload(content).content.decode()
    assert 'class="errorlist' in html and "2" in html

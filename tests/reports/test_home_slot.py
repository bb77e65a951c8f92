"""The reports card on the village home page: counts only, one query."""

from django.template.loader import render_to_string

import pytest

from cms_home.slots import home_slots
from reports.slots import reports_slot
from tests.factories import UserFactory
from tests.reports.factories import closed_report, file_report

pytestmark = pytest.mark.django_db


def test_card_counts_and_names_nobody(
    village, resident, committee, grid_worker, django_assert_num_queries
):
    filer = UserFactory(name="王秀英")
    from tests.factories import MembershipFactory

    MembershipFactory(village=village, user=filer)
    file_report(village, filer, text="私事")
    closed_report(village, resident, committee, grid_worker)
    with django_assert_num_queries(1):
        data = reports_slot(village=village, request=None)
    assert data == {"open": 1, "answered": 1}
    slot = next(s for s in home_slots() if s.key == "reports")
    html = render_to_string(
        slot.template, {"slot": slot, "data": data, "village": village}
    )
    assert f"/v/{village.slug}/reports/new/" in html
    assert "王秀英" not in html and "私事" not in html

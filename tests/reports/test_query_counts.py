"""The queue and the public list cost a fixed number of queries, whatever their
length."""

import os

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from reports import services
from tests.factories import MembershipFactory
from tests.reports.factories import due, file_report

pytestmark = pytest.mark.django_db

# session, user, village, membership; counts per kind and grid, the grids, the
# overdue list, the page's count and rows; unread messages (base.html).
QUEUE_QUERIES = 10
# session, user, village, membership; the page's count and rows, my reports,
# reports assigned to me, supervised areas (the township link); unread messages.
PUBLIC_LIST_QUERIES = 10


def _fill(village, committee, grid_worker, n):
    people = [MembershipFactory(village=village).user for _ in range(3)]
    department = services.department_add(village=village, by=committee, name=f"部门{n}")
    for i in range(n):
        report = file_report(village, people[i % 3], is_public=i % 2 == 0)
        if i % 3 == 0:
            services.report_assign(
                report=report, by=committee, assignee=grid_worker, due_on=due()
            )
        elif i % 3 == 1:
            services.report_assign(
                report=report, by=committee, department=department, due_on=due()
            )
        if i % 2 == 0:
            services.report_me_too(report=report, by=people[(i + 1) % 3])


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    if os.environ.get("SHOW_QUERIES"):
        for q in ctx.captured_queries:
            print(q["sql"][:160])
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("who", "path", "expected"),
    [("committee", "queue/", QUEUE_QUERIES), ("resident", "", PUBLIC_LIST_QUERIES)],
)
def test_list_pages_cost_a_fixed_number_of_queries(
    client, village, committee, grid_worker, resident, who, path, expected
):
    client.force_login({"committee": committee, "resident": resident}[who])
    url = f"/v/{village.slug}/reports/{path}"
    _fill(village, committee, grid_worker, 6)
    few = _count(client, url)
    _fill(village, committee, grid_worker, 24)
    many = _count(client, url)
    assert few == many == expected

"""Whatever anyone sends to any reports page, the answer is never a server error
and a refusal writes nothing."""

from django.urls import URLPattern, get_resolver

import pytest

from audit.models import AuditEntry
from points.images import photo_prepare
from reports.models import Report, ReportEvent
from tests.reports.factories import assigned_report

pytestmark = pytest.mark.django_db

JUNK = [
    {},
    {
        "kind": "x" * 5000,
        "text": "\x00",
        "latitude": "1e999",
        "longitude": "NaN",
        "assignee": "u-1",
        "due_on": "9999-99-99",
        "rating": ["a", "b"],
        "note": "",
        "answer": "",
        "item": "x",
        "action": "retire",
        "department": "99999999999999999999",
        "due_days": "-5",
        "topic_threshold": "x",
        "photos": "not a file",
    },
]
QUERIES = ["", "?page=abc&kind=%00&grid=-1&year=99999999&status=<script>"]


def _routes():
    resolver = get_resolver()
    for pattern in resolver.url_patterns:
        if "reports" in str(pattern.pattern) and hasattr(pattern, "url_patterns"):
            for p in pattern.url_patterns:
                if isinstance(p, URLPattern):
                    yield str(p.pattern)


def test_no_page_answers_with_a_server_error(
    client,
    village,
    resident,
    neighbour,
    committee,
    grid_worker,
    supervisor,
    monitor,
    photo_upload,
):
    report = assigned_report(
        village, resident, committee, grid_worker, photos=[photo_prepare(photo_upload)]
    )
    photo_pk = report.photos.get().pk
    routes = list(_routes())
    assert len(routes) >= 18
    for person in (neighbour, committee, grid_worker, supervisor):
        client.force_login(person)
        for route in routes:
            real = photo_pk if route.startswith("photos/") else report.pk
            for pk in (real, 99999999):
                path = route.replace("<int:pk>", str(pk))
                url = f"/v/{village.slug}/reports/{path}"
                for query in QUERIES:
                    response = client.get(url + query)
                    assert response.status_code < 500, (url, query)
                for data in JUNK:
                    events = ReportEvent.objects.count()
                    audits = AuditEntry.objects.count()
                    response = client.post(url, data)
                    assert response.status_code < 500, (url, data)
                    if response.status_code >= 400:
                        assert ReportEvent.objects.count() == events, url
                        assert AuditEntry.objects.count() == audits, url
    assert Report.objects.count() == 1

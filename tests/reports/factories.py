"""Helpers that make reports through the services, as people would."""

import datetime as dt

from django.utils import timezone

from reports import services
from reports.models import Kind


def file_report(village, by, **kwargs):
    kwargs.setdefault("kind", Kind.HAZARD)
    kwargs.setdefault("text", "东头桥下的路面塌了一个坑")
    kwargs.setdefault("place", "东头桥")
    return services.report_file(village=village, by=by, **kwargs)


def due(days=3):
    return timezone.localdate() + dt.timedelta(days=days)


def assigned_report(village, filer, committee, assignee, **kwargs):
    report = file_report(village, filer, **kwargs)
    return services.report_assign(
        report=report, by=committee, assignee=assignee, due_on=due()
    )


def closed_report(village, filer, committee, assignee, **kwargs):
    report = assigned_report(village, filer, committee, assignee, **kwargs)
    return services.report_close(report=report, by=assignee, answer="已经修好了")

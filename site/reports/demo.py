"""Demo data for reports: called from the township's demo seed, once per village.

Every report goes through the services, so the demo has the same steps, audit
entries and messages as real use: some waiting, some in hand (one overdue), some
answered and rated, one reopened after a dissatisfied rating, one escalated, and a
public suggestion with enough "me too" to become a topic.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from reports import services
from reports.models import Kind, Rating, Report
from villages.models import Membership, Village

REPORTS = [
    # (kind, text, place, public, what happens next)
    (
        Kind.HAZARD,
        "村东头小桥的护栏断了一截，孩子放学从这里过，很危险。",
        "村东小桥",
        True,
        "rated",
    ),
    (
        Kind.SUGGESTION,
        "建议在村口到小学的路上装几盏路灯，冬天晚上太黑。",
        "村口至小学",
        True,
        "metoo",
    ),
    (
        Kind.DISPUTE,
        "邻居在我家宅基地边上搭了棚子，占了我家的出路，协商不成。",
        "",
        False,
        "progress",
    ),
    (
        Kind.HAZARD,
        "二组变压器旁边的电线垂得很低，下雨天有火花。",
        "二组变压器",
        True,
        "escalated",
    ),
    (
        Kind.SUGGESTION,
        "希望文化广场晚上能开灯到九点，大家跳广场舞。",
        "文化广场",
        True,
        "reopened",
    ),
    (Kind.OTHER, "自来水这几天发黄，烧开了也有味道。", "三组", True, "overdue"),
    (Kind.HAZARD, "河边的垃圾堆了很多天没人清，天热有味。", "河堤东段", True, "filed"),
]


def _people(village: Village):
    members = Membership.objects.active().filter(village=village).select_related("user")
    committee = [m.user for m in members if m.is_committee]
    workers = [m.user for m in members if m.is_grid_worker]
    residents = [
        m.user
        for m in members
        if m.household_id and not (m.is_committee or m.is_grid_worker)
    ]
    return committee, workers, residents


@transaction.atomic
def seed_reports_demo(village: Village) -> bool:
    """Add the demo reports to a village that has none; False if it has some."""
    if Report.objects.filter(village=village).exists():
        return False
    committee, workers, residents = _people(village)
    if not committee or not workers or len(residents) < 8:
        return False
    chair, worker = committee[0], workers[0]
    services.settings_save(village=village, by=chair, due_days=7, topic_threshold=5)
    power = services.department_add(village=village, by=chair, name="镇供电所")
    services.department_add(village=village, by=chair, name="镇司法所")
    due = timezone.localdate() + dt.timedelta(days=5)
    for i, (kind, text, place, public, fate) in enumerate(REPORTS):
        filer = residents[i]
        report = services.report_file(
            village=village,
            by=filer,
            kind=kind,
            text=text,
            place=place,
            is_public=public,
        )
        if fate == "filed":
            continue
        if fate == "metoo":
            for neighbour in residents[len(REPORTS) : len(REPORTS) + 6]:
                services.report_me_too(report=report, by=neighbour)
            continue
        department = power if fate == "escalated" else None
        report = services.report_assign(
            report=report,
            by=chair,
            assignee=None if department else worker,
            department=department,
            due_on=due,
            note="请尽快到现场看看",
        )
        handler = chair if department else worker
        if fate == "escalated":
            services.report_escalate(
                report=report,
                by=chair,
                note="线路归供电所管，村里协调不动，请镇里督促。",
            )
            continue
        if fate == "overdue":
            Report.objects.filter(pk=report.pk).update(
                due_on=timezone.localdate() - dt.timedelta(days=2)
            )
            continue
        services.report_progress(
            report=report, by=handler, note="已到现场查看，正在联系相关人员。"
        )
        if fate == "progress":
            continue
        report = services.report_close(
            report=report, by=handler, answer="已处理完毕，感谢您的反映。"
        )
        rating = Rating.DISSATISFIED if fate == "reopened" else Rating.SATISFIED
        services.report_rate(report=report, by=filer, rating=rating, comment="")
    return True
